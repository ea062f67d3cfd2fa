// reach: make_spool() returns both ends of a pipe in a struct, and Batcher
// uses that pipe as an in-process queue: flush() first serialises every
// pending record into the spool through write_all(), and only then reads
// them back out. A batch bigger than the pipe's 64 KiB blocks write_all()
// forever: the only reader is this same thread, further down.
// CROSSES: return value (struct with both ends from a factory); class member (spool stored in a member); function boundary (write loop in a helper)
// EXPECT: pipe-self-deadlock flush|write_all big-batch hang
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

struct Spool {
  int rd = -1;
  int wr = -1;
};

static Spool make_spool() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0)
    return {};
  return {p[0], p[1]};
}

static bool write_all(int fd, const void *data, size_t len) {
  const char *p = static_cast<const char *>(data);
  while (len > 0) {
    ssize_t n = ::write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

static bool read_all(int fd, void *data, size_t len) {
  char *p = static_cast<char *>(data);
  while (len > 0) {
    ssize_t n = ::read(fd, p, len);
    if (n <= 0)
      return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

class Batcher {
public:
  explicit Batcher(Spool s) : spool_(s) {}
  ~Batcher() {
    ::close(spool_.rd);
    ::close(spool_.wr);
  }
  void add(std::string rec) { pending_.push_back(std::move(rec)); }

  // Serialises the pending records, then hands each one to sink.
  size_t flush(const std::function<void(const std::string &)> &sink) {
    for (const auto &rec : pending_) {
      uint32_t len = static_cast<uint32_t>(rec.size());
      if (!write_all(spool_.wr, &len, sizeof len) || !write_all(spool_.wr, rec.data(), rec.size()))
        return 0;
    }
    size_t count = pending_.size();
    pending_.clear();
    for (size_t i = 0; i < count; ++i) {
      uint32_t len = 0;
      if (!read_all(spool_.rd, &len, sizeof len))
        return i;
      std::string rec(len, '\0');
      if (!read_all(spool_.rd, &rec[0], len))
        return i;
      sink(rec);
    }
    return count;
  }

private:
  Spool spool_;
  std::vector<std::string> pending_;
};

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  size_t records = scenario == "big-batch" ? 5000 : scenario == "small-batch" ? 50 : 0;
  if (records == 0)
    return 2;
  Spool s = make_spool();
  if (s.rd < 0)
    return 1;
  Batcher b(s);
  for (size_t i = 0; i < records; ++i)
    b.add("event=" + std::to_string(i) + " payload=" + std::string(80, 'x'));
  size_t bytes = 0;
  size_t n = b.flush([&](const std::string &rec) { bytes += rec.size(); });
  return n == records && bytes > 0 ? 0 : 1;
}

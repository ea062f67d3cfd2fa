// Archive lister: a producer thread "unpacks" an archive stream (a header line
// and a large body) into a pipe; ArchiveReader reads the header, checks the
// magic and then counts the entries in the body.
// BUG: when the magic is wrong, list_archive() returns early, and the
// ArchiveReader destructor joins the producer thread before it closes the read
// end. The producer is still blocked writing the ~300 KiB body into the full
// pipe, nobody reads it any more, and the join never returns.
// EXPECT: pipe-leaked-writer ~ArchiveReader|list_archive|readHeader badmagic hang
// CROSSES: the producer thread is started by the helper startProducer() and kept in the member producer_; the early return is in list_archive(), the join in the destructor ~ArchiveReader()
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

constexpr const char kMagic[] = "PAK1";

bool writeAll(int fd, const std::string &data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

std::thread startProducer(int wfd, const std::string &magic, int entries,
                          std::atomic<int> *err) {
  return std::thread([wfd, magic, entries, err] {
    bool ok = writeAll(wfd, magic + " entries=" + std::to_string(entries) + "\n");
    for (int i = 0; ok && i < entries; ++i) {
      char line[128];
      std::snprintf(line, sizeof line, "%08d  0644  %7d  src/module_%04d/file_%04d.c\n", i,
                    (i * 7919) % 100000, i / 50, i);
      ok = writeAll(wfd, line);
    }
    if (!ok) err->store(errno);
    close(wfd);
  });
}

class ArchiveReader {
 public:
  ArchiveReader(const std::string &magic, int entries) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    rfd_ = fds[0];
    producer_ = startProducer(fds[1], magic, entries, &producerErr_);
  }

  ~ArchiveReader() {
    if (producer_.joinable()) producer_.join();
    close(rfd_);
  }

  // Reads the first line; true when it carries the expected magic.
  bool readHeader(std::string &header) {
    char c;
    header.clear();
    while (read(rfd_, &c, 1) == 1 && c != '\n') header.push_back(c);
    return header.compare(0, sizeof kMagic - 1, kMagic) == 0;
  }

  // Counts the remaining lines; -1 when the producer failed.
  long countEntries() {
    char buf[8192];
    long lines = 0;
    ssize_t n;
    while ((n = read(rfd_, buf, sizeof buf)) > 0)
      for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
    return producerErr_.load() == 0 ? lines : -1;
  }

 private:
  int rfd_ = -1;
  std::atomic<int> producerErr_{0};
  std::thread producer_;
};

long list_archive(const std::string &magic, int entries) {
  ArchiveReader reader(magic, entries);
  std::string header;
  if (!reader.readHeader(header)) {
    std::fprintf(stderr, "not an archive: '%.16s'\n", header.c_str());
    return -1;
  }
  return reader.countEntries();
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "normal";
  if (scenario == "normal") {
    long n = list_archive(kMagic, 5000);
    std::printf("%ld entries\n", n);
    return n == 5000 ? 0 : 1;
  }
  if (scenario == "badmagic") {
    long n = list_archive("ZIP!", 5000);
    std::printf("rejected: %s\n", n < 0 ? "yes" : "no");
    return n < 0 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s normal|badmagic\n", argv[0]);
  return 2;
}

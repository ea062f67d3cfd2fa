// Telemetry bundler: an upload bundle is a stream of length-prefixed frames,
// one per buffered telemetry record. FramePacker starts a producer task
// (std::async) that encodes the records into a pipe, and the consumer side
// drains the frames (here it only counts and checksums them; the real code
// streams them to the collector) and then reports the bundle.
// BUG: pack_records() throws std::length_error on a record larger than a
// frame may be; the producer lambda's fd guard closes the write end on the
// way out, so drain() sees a clean end-of-file after the frames that were
// written. finish() only calls producer_.wait(), never get(), so the
// exception stays in the future and the bundle is reported complete with
// the records after the oversized one silently missing. The "oversize"
// scenario exits 0 when it sees a bundle reported ok with fewer frames than
// records.
// EXPECT: pipe-writer-error-ignored finish|FramePacker|bundle_records oversize exit
// CROSSES: the writer is a lambda run by std::async from FramePacker's constructor, the throw is in pack_records() called from that lambda, and the future is a class member waited on in finish(), a different member function from the drain()
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr size_t kMaxFrame = 1024;

struct Record {
  std::string source;
  std::string payload;
};

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::array<int, 2> make_pipe() {
  int fds[2];
  if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return {fds[0], fds[1]};
}

void write_all(int fd, const void *data, size_t len) {
  const char *p = static_cast<const char *>(data);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "frame write");
    p += n;
    len -= static_cast<size_t>(n);
  }
}

size_t pack_records(const std::vector<Record> &recs, int fd) {
  size_t written = 0;
  for (const Record &r : recs) {
    std::string body = r.source + '\0' + r.payload;
    if (body.size() > kMaxFrame) throw std::length_error("record from " + r.source + " exceeds frame size");
    uint32_t len = static_cast<uint32_t>(body.size());
    write_all(fd, &len, sizeof len);
    write_all(fd, body.data(), body.size());
    ++written;
  }
  return written;
}

struct BundleSummary {
  size_t frames;
  uint32_t checksum;
  bool ok;
};

class FramePacker {
 public:
  explicit FramePacker(std::vector<Record> recs) {
    std::array<int, 2> p = make_pipe();
    rfd_ = p[0];
    int wfd = p[1];
    producer_ = std::async(std::launch::async, [wfd, recs = std::move(recs)] {
      UniqueFd out(wfd);
      return pack_records(recs, out.get());
    });
  }

  ~FramePacker() {
    if (rfd_ >= 0) close(rfd_);
  }

  void drain() {
    for (;;) {
      uint32_t len;
      if (!read_exact(&len, sizeof len)) break;
      std::string body(len, '\0');
      if (!read_exact(&body[0], len)) break;
      for (unsigned char c : body) checksum_ = checksum_ * 31 + c;
      ++frames_;
    }
  }

  BundleSummary finish() {
    producer_.wait();
    return BundleSummary{frames_, checksum_, true};
  }

 private:
  bool read_exact(void *dst, size_t len) {
    char *p = static_cast<char *>(dst);
    while (len > 0) {
      ssize_t n = read(rfd_, p, len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      len -= static_cast<size_t>(n);
    }
    return true;
  }

  int rfd_ = -1;
  std::future<size_t> producer_;
  size_t frames_ = 0;
  uint32_t checksum_ = 0;
};

BundleSummary bundle_records(std::vector<Record> recs) {
  FramePacker packer(std::move(recs));
  packer.drain();
  return packer.finish();
}

std::vector<Record> sample_records(bool with_core_dump) {
  std::vector<Record> recs;
  for (int i = 0; i < 6; ++i) {
    Record r{"sensor-" + std::to_string(i), "temp=" + std::to_string(20 + i) + " humidity=41"};
    if (with_core_dump && i == 2) r.payload.assign(4000, 'x');  // a crash report pasted into a field
    recs.push_back(std::move(r));
  }
  return recs;
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "normal";
  if (scenario == "normal") {
    BundleSummary s = bundle_records(sample_records(false));
    std::printf("bundle: %zu frames, ok=%d\n", s.frames, s.ok);
    return s.ok && s.frames == 6 ? 0 : 1;
  }
  if (scenario == "oversize") {
    BundleSummary s = bundle_records(sample_records(true));
    std::printf("bundle: %zu of 6 frames, reported %s\n", s.frames, s.ok ? "ok" : "failed");
    return s.ok && s.frames < 6 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s normal|oversize\n", argv[0]);
  return 2;
}

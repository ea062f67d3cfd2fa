// Snapshot capture for a key-value store: a std::jthread serializes every
// record into a pipe while the caller reads the snapshot back and checks it.
// CORRECT (near-miss): although the capture object both makes the pipe and
// reads ~250 KiB from it to end-of-file, the write end is moved into the
// writer thread's lambda (a UniqueFd it closes when done), so the reading
// thread never holds it and never writes; and when peek_header() returns
// early, the members are destroyed read end first (rd_ is declared after
// writer_), so the blocked writer gets EPIPE before the jthread is joined.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: full exit
// STD: c++20
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd &operator=(UniqueFd &&o) noexcept {
    reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct PipePair {
  UniqueFd rd, wr;
};

std::optional<PipePair> openPipe() {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  return PipePair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

class SnapshotCapture {
 public:
  static std::unique_ptr<SnapshotCapture> begin(int records) {
    auto pp = openPipe();
    if (!pp) return nullptr;
    std::unique_ptr<SnapshotCapture> cap(new SnapshotCapture);
    cap->rd_ = std::move(pp->rd);
    cap->writer_ = std::jthread([self = cap.get(), records, wr = std::move(pp->wr)]() mutable {
      for (int i = 0; i < records; ++i) {
        char rec[96];
        int n = std::snprintf(rec, sizeof rec, "key:user/%06d\tvalue:{\"visits\":%d,\"tier\":%d}\n",
                              i, (i * 31) % 977, i % 4);
        if (write(wr.get(), rec, static_cast<size_t>(n)) != n) {
          self->writerErr_.store(errno ? errno : EIO);
          break;
        }
      }
      wr.reset();
    });
    return cap;
  }

  std::optional<std::string> collect() {
    std::string data;
    char buf[8192];
    ssize_t n;
    while ((n = read(rd_.get(), buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(n));
    writer_.join();
    if (n < 0 || writerErr_.load() != 0) return std::nullopt;
    return data;
  }

  std::string firstLine() {
    std::string line;
    char c;
    while (read(rd_.get(), &c, 1) == 1 && c != '\n') line.push_back(c);
    return line;
  }

 private:
  SnapshotCapture() = default;
  std::atomic<int> writerErr_{0};
  std::jthread writer_;
  UniqueFd rd_;
};

long full_snapshot(int records) {
  auto cap = SnapshotCapture::begin(records);
  if (!cap) return -1;
  std::optional<std::string> snap = cap->collect();
  if (!snap) return -1;
  long lines = 0;
  for (char c : *snap) lines += c == '\n';
  return lines;
}

std::string peek_header(int records) {
  auto cap = SnapshotCapture::begin(records);
  return cap ? cap->firstLine() : std::string();
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "normal";
  if (scenario == "normal" || scenario == "full") {
    int records = scenario == "full" ? 5000 : 100;  // full: ~250 KiB
    long n = full_snapshot(records);
    std::printf("snapshot: %ld records\n", n);
    return n == records ? 0 : 1;
  }
  if (scenario == "peek") {
    std::string first = peek_header(5000);
    std::printf("first record: %s\n", first.c_str());
    return first.rfind("key:user/000000", 0) == 0 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s normal|full|peek\n", argv[0]);
  return 2;
}

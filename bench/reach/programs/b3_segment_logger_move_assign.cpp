// reach: SegmentLogger writes log lines into a pipe whose reader, a
// drainer thread, appends them to the current segment. rotate() makes a
// new pipe, starts a drainer on it, moves the new write end into the
// member 'out_' and joins the old drainer, expecting the move assignment
// to close the old write end. FileDesc's move assignment takes over the
// other descriptor without closing its own: the old pipe's write end stays
// open, the old drainer never sees end-of-file, and rotate() waits for it
// forever.
// CROSSES: RAII wrapper (the close belongs to a move assignment operator that drops the old descriptor); class member (write end in a member replaced in one method, drainer joined there)
// EXPECT: pipe-unclosed-write-end rotate|open_segment|operator= rotate hang
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <deque>

class FileDesc {
public:
  FileDesc() = default;
  explicit FileDesc(int fd) : fd_(fd) {}
  FileDesc(FileDesc &&o) noexcept : fd_(o.release()) {}
  FileDesc &operator=(FileDesc &&o) noexcept {
    fd_ = o.release();
    return *this;
  }
  FileDesc(const FileDesc &) = delete;
  FileDesc &operator=(const FileDesc &) = delete;
  ~FileDesc() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

struct Segment {
  int index = 0;
  size_t bytes = 0;
  size_t lines = 0;
};

class SegmentLogger {
public:
  SegmentLogger() { open_segment(); }
  ~SegmentLogger() { close(); }

  void log(const char *level, const std::string &msg) {
    if (::dprintf(out_.get(), "%s %s\n", level, msg.c_str()) < 0)
      std::perror("log");
  }

  void rotate() {
    std::fprintf(stderr, "logger: rotating after segment %zu\n", segments_.size());
    open_segment();
  }

  void close() {
    out_.reset();
    if (drainer_.joinable())
      drainer_.join();
  }

  const std::deque<Segment> &segments() const { return segments_; }

private:
  void open_segment() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe2");
    segments_.push_back(Segment{static_cast<int>(segments_.size())});
    Segment *seg = &segments_.back();
    std::thread next(drain, FileDesc(fds[0]), seg);
    out_ = FileDesc(fds[1]);
    if (drainer_.joinable())
      drainer_.join();
    drainer_ = std::move(next);
  }

  static void drain(FileDesc in, Segment *seg) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(in.get(), buf, sizeof buf)) > 0) {
      seg->bytes += static_cast<size_t>(n);
      for (ssize_t i = 0; i < n; ++i)
        seg->lines += buf[i] == '\n';
    }
  }

  FileDesc out_;
  std::thread drainer_;
  std::deque<Segment> segments_;
};

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  size_t total = 0;
  {
    SegmentLogger logger;
    logger.log("INFO", "service started");
    logger.log("INFO", "listening on :8080");
    if (scenario == "rotate")
      logger.rotate();
    else if (scenario != "single")
      return 2;
    logger.log("WARN", "slow request: 1200 ms");
    logger.close();
    for (const Segment &s : logger.segments())
      total += s.lines;
  }
  std::printf("%zu lines logged\n", total);
  return total == 3 ? 0 : 1;
}

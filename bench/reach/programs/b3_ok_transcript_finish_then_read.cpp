// reach (near-miss): the Transcript of b3_transcript_read_back.cpp with a
// finish() method that resets the UniqueFd member holding the write end;
// render_report() calls it before read_back(), so the read loop on the
// same thread reaches end-of-file once the report is read.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: report exit
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
  UniqueFd &operator=(UniqueFd &&other) noexcept {
    if (this != &other)
      reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

struct PipeFds {
  UniqueFd rd;
  UniqueFd wr;
};

static PipeFds make_pipe() {
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  return PipeFds{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

class Transcript {
public:
  Transcript() : pipe_(make_pipe()) {}

  void line(const char *fmt, ...) __attribute__((format(printf, 2, 3))) {
    va_list ap;
    va_start(ap, fmt);
    int rc = ::vdprintf(pipe_.wr.get(), fmt, ap);
    va_end(ap);
    if (rc < 0)
      throw std::runtime_error("transcript write failed");
    ::dprintf(pipe_.wr.get(), "\n");
  }

  void finish() { pipe_.wr.reset(); }

  std::string read_back() {
    std::string text;
    char buf[1024];
    ssize_t n;
    while ((n = ::read(pipe_.rd.get(), buf, sizeof buf)) > 0)
      text.append(buf, static_cast<size_t>(n));
    return text;
  }

private:
  PipeFds pipe_;
};

struct Check {
  std::string name;
  bool ok;
  int latency_ms;
};

static std::string render_report(const std::vector<Check> &checks) {
  Transcript t;
  int failed = 0;
  t.line("health report: %zu checks", checks.size());
  for (const auto &c : checks) {
    t.line("%-12s %-4s %4d ms", c.name.c_str(), c.ok ? "ok" : "FAIL", c.latency_ms);
    if (!c.ok)
      ++failed;
  }
  t.line("%d failed", failed);
  t.finish();
  return t.read_back();
}

int main(int argc, char **argv) {
  if (argc < 2 || std::strcmp(argv[1], "report") != 0)
    return 2;
  std::vector<Check> checks = {
      {"database", true, 12}, {"cache", true, 3}, {"queue", false, 5000}};
  std::string text = render_report(checks);
  std::fputs(text.c_str(), stdout);
  return text.find("1 failed") != std::string::npos ? 0 : 1;
}

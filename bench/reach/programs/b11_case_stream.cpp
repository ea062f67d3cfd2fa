// Test harness front end: the suite runs in a forked child (so a crashing
// test cannot take the harness down) that reports one event line per test
// case, "PASS <name> <log>" or "FAIL <name> <log>", on a pipe. CaseRunner
// owns the child and the read end; first_failure() is what `harness
// --fail-fast` uses: it returns the name of the first failing case.
// BUG: first_failure() returns as soon as it sees a FAIL line, and the
// CaseRunner destructor reaps the child (waitpid) before it closes the read
// end. The suite child keeps running the remaining cases and blocks in
// write() once the pipe is full; nobody reads any more and nobody closes the
// read end, so the child never exits and waitpid() never returns.
// EXPECT: pipe-leaked-writer ~CaseRunner|reap|first_failure fail-early hang
// CROSSES: the child and the pipe come from fork_reporter(), which runs a std::function in the child and returns the pid and read end in a ChildStream by value to CaseRunner's constructor; the early return is in first_failure(), the wait in reap() called from ~CaseRunner()
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct ChildStream {
  pid_t pid = -1;
  int fd = -1;
};

ChildStream fork_reporter(const std::function<void(int)> &body) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error("fork");
  }
  if (pid == 0) {
    close(fds[0]);
    body(fds[1]);
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  return ChildStream{pid, fds[0]};
}

bool write_all(int fd, const std::string &s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

struct TestCase {
  std::string name;
  bool passes;
};

class CaseRunner {
 public:
  explicit CaseRunner(std::vector<TestCase> cases) {
    child_ = fork_reporter([cases = std::move(cases)](int out) {
      for (const TestCase &tc : cases) {
        std::string log(180, '.');  // the case's captured output, abbreviated
        std::string line = (tc.passes ? "PASS " : "FAIL ") + tc.name + " " + log + "\n";
        if (!write_all(out, line)) return;
      }
    });
  }

  ~CaseRunner() {
    reap();
    if (child_.fd >= 0) close(child_.fd);
  }

  // Next event line without the newline; false at the end of the suite.
  bool next_event(std::string &line) {
    line.clear();
    for (;;) {
      if (pos_ == len_) {
        ssize_t n = read(child_.fd, buf_, sizeof buf_);
        if (n <= 0) return !line.empty();
        pos_ = 0;
        len_ = static_cast<size_t>(n);
      }
      char c = buf_[pos_++];
      if (c == '\n') return true;
      line.push_back(c);
    }
  }

  int reap() {
    if (child_.pid < 0) return status_;
    while (waitpid(child_.pid, &status_, 0) < 0 && errno == EINTR) {
    }
    child_.pid = -1;
    return status_;
  }

 private:
  ChildStream child_;
  int status_ = 0;
  char buf_[4096];
  size_t pos_ = 0, len_ = 0;
};

std::vector<TestCase> make_suite(int n, int failing) {
  std::vector<TestCase> cases;
  for (int i = 0; i < n; ++i)
    cases.push_back({"net_suite.case_" + std::to_string(i), i != failing});
  return cases;
}

std::optional<std::string> first_failure(std::vector<TestCase> cases) {
  CaseRunner runner(std::move(cases));
  std::string ev;
  int passed = 0;
  while (runner.next_event(ev)) {
    if (ev.compare(0, 5, "FAIL ") == 0) {
      std::fprintf(stderr, "%d passed before the first failure\n", passed);
      return ev.substr(5, ev.find(' ', 5) - 5);
    }
    ++passed;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "all-pass";
  if (scenario == "all-pass") {
    std::optional<std::string> f = first_failure(make_suite(2000, -1));
    std::printf("%s\n", f ? f->c_str() : "all cases passed");
    return f ? 1 : 0;
  }
  if (scenario == "fail-early") {
    std::optional<std::string> f = first_failure(make_suite(2000, 3));
    std::printf("first failure: %s\n", f ? f->c_str() : "none");
    return f && *f == "net_suite.case_3" ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s all-pass|fail-early\n", argv[0]);
  return 2;
}

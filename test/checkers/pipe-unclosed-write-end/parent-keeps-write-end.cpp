// One defect, one warning, in C++ (the C shapes: parent-keeps-write-end.c):
// a parent that keeps its copy of the write end after fork() and reads the
// pipe until end-of-file is reported once, by pipe-self-deadlock at the
// read; pipe-unclosed-write-end does not report the returns after it
// again, unless pipe-self-deadlock is disabled.
//
// The shapes: a member function that reads through a lambda, a pipe held
// in a std::pair a helper returns, and a static member that starts the
// child. The near-miss closes the parent's copy first.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffix=ALONE %s pipe-unclosed-write-end %t
// RUN: %run_example %s member-lambda hang
// RUN: %run_example %s pair-static hang
// RUN: %run_example %s closes-first exit

#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace {

std::pair<int, int> make_pipe() {
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

class Collector {
public:
  static pid_t spawn_writer(int wr) {
    pid_t pid = fork();
    if (pid == 0) {
      (void)write(wr, "hello\n", 6);
      _exit(0);
    }
    return pid;
  }

  std::size_t member_lambda() {
    int fds[2];
    if (pipe(fds) != 0)
      return 0;
    pid_t pid = spawn_writer(fds[1]);
    auto drain = [this](int fd) {
      char buf[128];
      ssize_t n;
      while ((n = read(fd, buf, sizeof buf)) > 0)
        text_.append(buf, static_cast<std::size_t>(n));
    };
    drain(fds[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-11]]:9: note: pipe created here
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    return text_.size();
    // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'member_lambda' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ALONE: :[[@LINE-16]]:9: note: pipe created here
  }

  std::size_t pair_static() {
    auto [rd, wr] = make_pipe();
    if (rd < 0)
      return 0;
    pid_t pid = spawn_writer(wr);
    char buf[128];
    ssize_t n;
    while ((n = read(rd, buf, sizeof buf)) > 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'rd' until end-of-file never ends: this process still holds the write end 'wr'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'wr' before the read loop [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE-8]]:21: note: pipe created here
      text_.append(buf, static_cast<std::size_t>(n));
    close(rd);
    waitpid(pid, nullptr, 0);
    return text_.size();
    // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:5: warning: write end 'wr' of the pipe is still open when 'pair_static' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ALONE: :[[@LINE-14]]:21: note: pipe created here
    // CHECK-MESSAGES-ALONE: :[[@LINE-9]]:12: note: the loop condition is false: leaving the loop
  }

  std::size_t closes_first() {
    auto [rd, wr] = make_pipe();
    if (rd < 0)
      return 0;
    pid_t pid = spawn_writer(wr);
    close(wr);
    char buf[128];
    ssize_t n;
    while ((n = read(rd, buf, sizeof buf)) > 0)
      text_.append(buf, static_cast<std::size_t>(n));
    close(rd);
    waitpid(pid, nullptr, 0);
    return text_.size();
  }

private:
  std::string text_;
};

} // namespace

// Each scenario runs twice; the caller goes on after each call.
int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::size_t total = 0;
  for (int i = 0; i < 2; ++i) {
    Collector c;
    if (s == "member-lambda")
      total += c.member_lambda();
    else if (s == "pair-static")
      total += c.pair_static();
    else if (s == "closes-first")
      total += c.closes_first();
  }
  return total == 12 ? 0 : 1;
}

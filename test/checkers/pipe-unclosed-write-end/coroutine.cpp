// A coroutine that leaks a write end is reported at the co_return that
// leaves it open, not at the closing brace. The same coroutine closing the
// end on every path is not reported. The "leak" scenarios take the
// reported co_return and read the pipe to the end: they hang; the "-ok"
// scenario terminates.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++20
// RUN: %run_example %s early-leak hang -- -std=c++20
// RUN: %run_example %s final-leak hang -- -std=c++20
// RUN: %run_example %s closed-ok exit -- -std=c++20

#include <coroutine>
#include <cstring>
#include <exception>
#include <unistd.h>

// An eager coroutine type: runs to completion before the call returns.
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return n < 0 ? -1 : total;
}

Task feedEarly(const char *msg, bool quick, int *out) {
  int p[2];
  if (pipe(p) < 0)
    co_return;
  *out = p[0];
  if (quick)
    co_return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'p[1]' of the pipe is still open when 'feedEarly' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  write(p[1], msg, std::strlen(msg));
  close(p[1]);
}

Task feedFinal(const char *msg, int *out) {
  int p[2];
  if (pipe(p) < 0)
    co_return;
  *out = p[0];
  write(p[1], msg, std::strlen(msg));
  co_return;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p[1]' of the pipe is still open when 'feedFinal' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
}

Task feedClosed(const char *msg, bool quick, int *out) {
  int p[2];
  if (pipe(p) < 0)
    co_return;
  *out = p[0];
  if (quick) {
    close(p[1]);
    co_return;
  }
  write(p[1], msg, std::strlen(msg));
  close(p[1]);
  co_return;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int fd = -1;
  if (std::strcmp(s, "early-leak") == 0)
    feedEarly("hello", true, &fd);
  else if (std::strcmp(s, "final-leak") == 0)
    feedFinal("hello", &fd);
  else if (std::strcmp(s, "closed-ok") == 0)
    feedClosed("hello", true, &fd);
  if (fd < 0)
    return 1;
  drain(fd);
  close(fd);
  return 0;
}

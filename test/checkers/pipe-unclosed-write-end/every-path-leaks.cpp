// One warning per defect when no path closes the ends, in C++ shapes: a
// member function with two returns, a lambda with three, neither closing
// its pipe: one warning at the first return, a note at each other one, no
// fix-it. Each leak scenario makes 8 calls and aborts when exactly 16 more
// descriptors are open (both ends leak on every call).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s member-a abort
// RUN: %run_example %s member-b abort
// RUN: %run_example %s lambda-a abort
// RUN: %run_example %s lambda-b abort
// RUN: %run_example %s lambda-c abort

#include <cstdlib>
#include <fcntl.h>
#include <string.h>
#include <string>
#include <unistd.h>

class Tester {
public:
  /* Checks that 'msg' fits a pipe of its own; neither return closes it. */
  int fits(const std::string &msg) {
    int fds[2];

    if (pipe(fds) < 0)
      return -1;
    if (msg.empty())
      return 0;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'fits' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE+3]]:5: note: 'fits' also returns here with them open
      // CHECK-FIXES: {{^}}      return 0;{{$}}
    ssize_t n = write(fds[1], msg.data(), msg.size());
    return n == (ssize_t)msg.size();
  }
};

static int make_pipe(int fds[2]) { return pipe(fds); }

/* A pipe from a helper; three returns, none closes it. */
auto probe = [](int mode) -> int {
  int fds[2];

  if (make_pipe(fds) < 0)
    return -1;
  if (mode == 0)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this lambda leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+3]]:5: note: this lambda also returns here with them open
    // CHECK-MESSAGES: :[[@LINE+3]]:3: note: this lambda also returns here with them open
  if (write(fds[1], "x", 1) != 1 || mode == 1)
    return 1;
  return 2;
};

static int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    n += fcntl(fd, F_GETFD) != -1;
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  Tester t;

  for (int i = 0; i < 8; i++) {
    if (s == "member-a")
      t.fits("");
    else if (s == "member-b")
      t.fits("x");
    else if (s == "lambda-a")
      probe(0);
    else if (s == "lambda-b")
      probe(1);
    else if (s == "lambda-c")
      probe(2);
    else
      return 2;
  }
  int after = open_fds();
  if (after - before == 16)
    abort();
  return after != before;
}

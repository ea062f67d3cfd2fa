// The C++ shapes of recursive-callees.c: a wrapper that returns the ends in
// a std::pair after calling a recursive free function and a recursive
// static member function, and a lambda wrapper that calls the recursive
// function before pipe(). The recursive functions have no summary (a call
// of them is an unknown call); the wrappers keep theirs, so the caller's
// leak is found (hang). The "-fixed" scenarios close the write end.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s pair hang
// RUN: %run_example %s pair-fixed exit
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lambda-fixed exit

#include <cstring>
#include <sys/types.h>
#include <unistd.h>
#include <utility>

static int depth(const char *s) { return *s ? (*s == '(') + depth(s + 1) : 0; }

struct Spec {
  static int length(const char *s) { return *s ? length(s + 1) + 1 : 0; }
};

static std::pair<int, int> open_pair(const char *spec) {
  int fds[2];
  if (depth(spec) > 8 || Spec::length(spec) > 64)
    return {-1, -1};
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

static ssize_t drain(int fd) {
  char buf[64];
  ssize_t n, total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

ssize_t capture_pair(bool fixed) {
  auto [rd, wr] = open_pair("(x)");
  if (rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(wr, "hello\n", 6);
    _exit(0);
  }
  if (fixed)
    close(wr);
  ssize_t total = drain(rd);
  close(rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'wr' of the pipe is still open when 'capture_pair' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-13]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

ssize_t capture_lambda(bool fixed) {
  const char *spec = "((job))";
  auto open = [&](int *fds) {
    if (depth(spec) > 8)
      return -1;
    return pipe(fds);
  };
  int fds[2];
  if (open(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fixed)
    close(fds[1]);
  ssize_t total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_lambda' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "pair") == 0)
    return capture_pair(false) != 6;
  if (std::strcmp(s, "pair-fixed") == 0)
    return capture_pair(true) != 6;
  if (std::strcmp(s, "lambda") == 0)
    return capture_lambda(false) != 6;
  if (std::strcmp(s, "lambda-fixed") == 0)
    return capture_lambda(true) != 6;
  return 2;
}

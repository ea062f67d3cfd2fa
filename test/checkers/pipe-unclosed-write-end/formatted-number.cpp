// pipe-unclosed-write-end in C++: descriptor numbers formatted with
// std::to_string() and written to a std::ostringstream stay where they
// were (see formatted-number.c): the early returns leak both ends. The leak
// scenarios call the function 8 times and abort when exactly 16 more
// descriptors are open; the near-miss closes them and finishes.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s to-string-leak abort
// RUN: %run_example %s stream-leak abort
// RUN: %run_example %s closed exit

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <unistd.h>

static int open_descriptors() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

std::string status_arg(bool skip) {
  int fds[2];
  if (pipe(fds) < 0)
    return "";
  std::string arg = "--status-fd=" + std::to_string(fds[1]);
  if (skip)
    return "";
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'status_arg' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  close(fds[0]);
  return arg;
}

std::string stream_arg(bool skip, bool close_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return "";
  std::ostringstream os;
  os << "--status-fd=" << fds[1];
  if (close_first) {
    close(fds[1]);
    close(fds[0]);
    return os.str();
  }
  if (skip)
    return "";
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stream_arg' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  close(fds[0]);
  return os.str();
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_descriptors();
  if (std::strcmp(s, "to-string-leak") == 0) {
    for (int i = 0; i < 8; i++)
      status_arg(true);
    if (open_descriptors() - before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(s, "stream-leak") == 0) {
    for (int i = 0; i < 8; i++)
      stream_arg(true, false);
    if (open_descriptors() - before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(s, "closed") == 0) {
    for (int i = 0; i < 8; i++)
      stream_arg(true, true);
    return open_descriptors() != before;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

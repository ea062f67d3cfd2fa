// formatted-writes.c in C++: a std::thread writer (a lambda, and a helper it
// calls) that prints a counted number of formatted lines. A few lines fit
// in the pipe, so joining before closing the read end finishes; a hundred
// thousand lines fill it and the join hangs.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++17
// RUN: %run_example %s few-lines exit
// RUN: %run_example %s many-lines hang

#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace {

void report_progress(int fd, int steps) {
  for (int step = 1; step <= 4; ++step)
    dprintf(fd, "step %d of %d: %s\n", step, steps, step < 4 ? "running" : "done");
}

int join_before_close(bool many) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  if (!many) {
    std::thread writer([fd = fds[1]] {
      report_progress(fd, 4);
      close(fd);
    });
    char c;
    if (read(fds[0], &c, 1) != 1) {
      writer.join();
      close(fds[0]);
      return -1;
    }
    writer.join();
    close(fds[0]);
    return c;
  }
  std::thread writer([fd = fds[1]] {
    for (int i = 0; i < 100000; ++i)
      report_progress(fd, i);
    close(fd);
  });
  char c;
  if (read(fds[0], &c, 1) != 1 || c == 's') {
    writer.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 'writer' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-9]]:15: note: std::thread 'writer' starts here; it writes up to {{[0-9]+}} bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-27]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return -1;
  }
  close(fds[0]);
  writer.join();
  return c;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2)
    return 2;
  if (!std::strcmp(argv[1], "few-lines"))
    return join_before_close(false) == 's' ? 0 : 1;
  if (!std::strcmp(argv[1], "many-lines"))
    return join_before_close(true) == -1 ? 0 : 1;
  return 2;
}

// pipe-leaked-writer in C++: a fork()ed writer child that keeps its own
// copy of the read end (see child-keeps-read-end.c), with the pipe in a
// struct member and in a std::array, the child writing through a helper
// and in a loop of its own. The parent gives up after the first byte,
// closes its read end and waits: the child, still holding a reader of the
// pipe itself, stays blocked on the full pipe, and the wait hangs. The
// "-ok" scenarios read everything and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s member-pipe hang
// RUN: %run_example %s member-pipe-ok exit
// RUN: %run_example %s array-pipe hang
// RUN: %run_example %s array-pipe-ok exit

#include <array>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct Channel {
  int fd[2];
};

static bool header_is(char want, char first) {
  Channel ch;
  if (pipe(ch.fd) < 0)
    return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(ch.fd[0]);
    close(ch.fd[1]);
    return false;
  }
  if (pid == 0) {
    write_filled(ch.fd[1], first, 'x', MIB);
    _exit(0);
  }
  close(ch.fd[1]);
  char c;
  if (read_full(ch.fd[0], &c, 1) != 1 || c != want) {
    close(ch.fd[0]);
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: child process 'pid' is waited for here, but it still holds its own copy of the read end 'ch.fd[0]', inherited at fork() and never closed in the child: closing 'ch.fd[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe and this hangs; close 'ch.fd[0]' in the child before it writes [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-15]]:15: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-9]]:5: note: the child writes here with its copy of 'ch.fd[0]' still open
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    waitpid(pid, nullptr, 0);
    return false;
  }
  drain(ch.fd[0]);
  close(ch.fd[0]);
  waitpid(pid, nullptr, 0);
  return true;
}

// The child writes 1 MiB in a loop of its own.
static bool magic_is(char want) {
  std::array<int, 2> p;
  if (pipe(p.data()) < 0)
    return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return false;
  }
  if (pid == 0) {
    char buf[4096];
    std::memset(buf, 'a', sizeof buf);
    for (int i = 0; i < 256; i++)
      if (write(p[1], buf, sizeof buf) < 0)
        break;
    _exit(0);
  }
  close(p[1]);
  char c;
  if (read(p[0], &c, 1) != 1 || c != want) {
    close(p[0]);
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: child process 'pid' is waited for here, but it still holds its own copy of the read end 'p[0]', inherited at fork() and never closed in the child: closing 'p[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe and this hangs; close 'p[0]' in the child before it writes [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-19]]:15: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-10]]:11: note: the child writes here with its copy of 'p[0]' still open
    // CHECK-MESSAGES: :[[@LINE-23]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    waitpid(pid, nullptr, 0);
    return false;
  }
  drain(p[0]);
  close(p[0]);
  waitpid(pid, nullptr, 0);
  return true;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "member-pipe")
    return header_is('P', 'G');
  if (s == "member-pipe-ok")
    return !header_is('P', 'P');
  if (s == "array-pipe")
    return magic_is('P');
  if (s == "array-pipe-ok")
    return !magic_is('a');
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

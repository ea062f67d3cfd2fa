// A child that forks again (a double fork that detaches a writer, or a
// babysitter process): the parent waits for the intermediate child, which
// exits at once, and only then reads the pipe; the grandchild does the
// writing and is not what the wait waits on. The intermediate child closes
// its copies and exits, so the wait returns and the read drains the
// grandchild's 200000 bytes: nothing hangs, and neither
// pipe-wait-before-drain nor pipe-leaked-writer may claim that the waited
// child fills the pipe. The control writes the same amount from the child
// itself and is waited for first: it hangs, and is reported.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %check_pipe_tidy -check-suffix=LW %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s double-fork exit
// RUN: %run_example %s single-fork-wait-first hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

enum { BYTES = 200000 };

/* The writer runs in a grandchild; the child exits as soon as it forked. */
static long detached_writer_output(void)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    pid_t grandchild = fork();
    if (grandchild == 0) {
      close(fds[0]);
      write_filled(fds[1], 'x', 'x', BYTES);
      _exit(0);
    }
    _exit(grandchild < 0);
  }
  close(fds[1]);
  if (waitpid(pid, NULL, 0) < 0) {
    close(fds[0]);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  return n;
}

/* The child writes itself and the parent waits for it first: it blocks on
   the full pipe and never exits. */
static long waited_writer_output(void)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write_filled(fds[1], 'x', 'x', BYTES);
    _exit(0);
  }
  close(fds[1]);
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-14]]:15: note: child process 'pid' starts here; it writes up to 200000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:12: note: 'fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: taking the false branch
  // CHECK-MESSAGES-LW: :[[@LINE-6]]:3: warning: child process 'pid' is waited for here while the read end 'fds[0]' is still open and unread: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES-LW: :[[@LINE-19]]:15: note: child process 'pid' starts here; it writes up to 200000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES-LW: :[[@LINE-22]]:7: note: pipe created here
  // CHECK-MESSAGES-LW: :[[@LINE-20]]:7: note: taking the false branch
  long n = drain(fds[0]);
  close(fds[0]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "double-fork") == 0)
    return detached_writer_output() != BYTES;
  if (strcmp(s, "single-fork-wait-first") == 0)
    return waited_writer_output() != BYTES;
  return 2;
}

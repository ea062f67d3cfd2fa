// pipe-self-deadlock: a single blocking read of a pipe whose only other
// writer is a fork() child that writes nothing to it (issue 17). The parent
// still holds the write end and has written nothing; the child closes its
// copy and exits (waited for or not): nobody ever writes, and the parent's
// own write end keeps end-of-file away, so the read blocks forever (hang).
// The pid in a variable or a struct member, the fork() in the condition.
// Near-misses, silent and finishing: the parent wrote first, the child
// writes a known amount (directly or through a helper), the parent closes
// its write end before the read (it returns 0), and a child that may fall
// through into the parent's code.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s waited hang
// RUN: %run_example %s running hang
// RUN: %run_example %s job hang
// RUN: %run_example %s parent-wrote exit
// RUN: %run_example %s child-writes exit
// RUN: %run_example %s child-helper exit
// RUN: %run_example %s parent-closed exit
// RUN: %run_example %s falls-through exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- reported ----------------------------------------------------------- */

/* Waits for a child that only closes its ends, then reads its "answer". */
int waited(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    close(fds[1]);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  if (read(fds[0], &c, 1) != 1)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the write end 'fds[1]' and has written nothing to it, and the only other holder, child process 'pid', has exited without writing to it; write to 'fds[1]' first, or close 'fds[1]' before reading to get end-of-file [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-14]]:9: note: child process 'pid' starts here; it writes nothing to 'fds[1]'
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    c = -1;
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* The child prints a message and exits; the parent reads before waiting. */
int running(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  if ((pid = fork()) == 0) {
    printf("child %d starting\n", (int)getpid());
    close(fds[0]);
    _exit(3);
  }
  if (pid < 0)
    return -1;
  read(fds[0], &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'fds[0]' blocks forever: this thread holds the write end 'fds[1]' and has written nothing to it, and the only other holder, child process 'pid', writes nothing to it; write to 'fds[1]' first, or close 'fds[1]' before reading to get end-of-file [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:14: note: child process 'pid' starts here; it writes nothing to 'fds[1]'
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return c;
}

struct job {
  pid_t pid;
  int fds[2];
};

/* The pid and the pipe in a struct. */
int job(void)
{
  struct job j;
  char c = 0;

  if (pipe(j.fds) < 0)
    return -1;
  j.pid = fork();
  if (j.pid == -1)
    return -1;
  if (j.pid == 0) {
    close(j.fds[0]);
    _exit(0);
  }
  waitpid(j.pid, NULL, 0);
  read(j.fds[0], &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'j.fds[0]' blocks forever: this thread holds the write end 'j.fds[1]' and has written nothing to it, and the only other holder, child process 'j.pid', has exited without writing to it; write to 'j.fds[1]' first, or close 'j.fds[1]' before reading to get end-of-file [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:11: note: child process 'j.pid' starts here; it writes nothing to 'j.fds[1]'
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  close(j.fds[0]);
  close(j.fds[1]);
  return c;
}

/* ---- near-misses -------------------------------------------------------- */

int parent_wrote(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    close(fds[1]);
    _exit(0);
  }
  write(fds[1], "p", 1);
  waitpid(pid, NULL, 0);
  read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c == 'p';
}

int child_writes(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write(fds[1], "c", 1);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c == 'c';
}

int child_helper(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "h", 1);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c == 'h';
}

int parent_closed(void)
{
  int fds[2];
  char c = 0;
  ssize_t n;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  waitpid(pid, NULL, 0);
  n = read(fds[0], &c, 1);
  close(fds[0]);
  return n == 0;
}

/* The child's branch does not end the child: it goes on to the write. */
int falls_through(void)
{
  int fds[2];
  char c = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0)
    close(fds[0]);
  if (pid == 0) {
    write(fds[1], "f", 1);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c == 'f';
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "waited") == 0)
    return waited() != -1;
  if (strcmp(s, "running") == 0)
    return running() != 0;
  if (strcmp(s, "job") == 0)
    return job() != 0;
  if (strcmp(s, "parent-wrote") == 0)
    return !parent_wrote();
  if (strcmp(s, "child-writes") == 0)
    return !child_writes();
  if (strcmp(s, "child-helper") == 0)
    return !child_helper();
  if (strcmp(s, "parent-closed") == 0)
    return !parent_closed();
  if (strcmp(s, "falls-through") == 0)
    return !falls_through();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

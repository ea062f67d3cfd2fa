// One warning per blocked writer across pipe-wait-before-drain and
// pipe-leaked-writer. Both report a waitpid() that waits for a child still
// blocked writing a pipe whose read end is open and unread. Where both
// report the same wait for the same child and pipe, it is one defect: the
// warning is pipe-wait-before-drain's (the function reads the pipe after
// the wait, so reading it first keeps the output), and a note names the
// other fix, closing the read end first. A wait that only
// pipe-leaked-writer reports (nothing reads the pipe afterwards on that
// path) stays its warning.
//
//  - wait_then_read(): waitpid(), then the read loop.
//  - check_header(): on a bad header, waitpid() and return; on a good one,
//    the read loop. The bad header's path gives up on the output and never
//    reaches the read: pipe-leaked-writer's (close the read end first).
//  - peek_then_wait(): reads 16 bytes, then waitpid(); nothing reads more.
//
// Each hangs when the child writes 1 MiB; the "-ok" scenarios write a few
// bytes and exit.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-leaked-writer %t
// RUN: %run_example %s wait-then-read hang
// RUN: %run_example %s wait-then-read-ok exit
// RUN: %run_example %s bad-header hang
// RUN: %run_example %s bad-header-ok exit
// RUN: %run_example %s peek hang
// RUN: %run_example %s peek-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t child_bytes;

long wait_then_read(void)
{
  int p[2], status;
  char buf[4096];
  ssize_t n;
  long total = 0;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0) {
    close(p[0]);
    for (size_t i = 0; i < child_bytes; i++)
      write(p[1], "x", 1);
    _exit(0);
  }
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+6]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-11]]:9: note: child process 'pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+4]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: taking the false branch
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: if the rest of the output is not wanted, closing 'p[0]' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
  waitpid(pid, &status, 0);
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  return total;
}

long check_header(void)
{
  int p[2], status;
  char hdr[4], buf[4096];
  ssize_t n;
  long total = 0;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0) {
    close(p[0]);
    write(p[1], "BAD!", 4); /* the parent gives up on it */
    for (size_t i = 0; i < child_bytes; i++)
      write(p[1], "x", 1);
    _exit(0);
  }
  close(p[1]);
  n = read(p[0], hdr, sizeof hdr);
  if (n != 4 || memcmp(hdr, "HDR!", 4) != 0) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'pid' is waited for here while the read end 'p[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-14]]:9: note: child process 'pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    waitpid(pid, &status, 0);
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  waitpid(pid, &status, 0);
  return total;
}

long peek_then_wait(char *first, size_t size)
{
  int p[2], status;
  ssize_t n;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0) {
    close(p[0]);
    write(p[1], "first line\n", 11);
    for (size_t i = 0; i < child_bytes; i++)
      write(p[1], "x", 1);
    _exit(0);
  }
  close(p[1]);
  n = read(p[0], first, size);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: child process 'pid' is waited for here while the read end 'p[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-13]]:9: note: child process 'pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: taking the false branch
  waitpid(pid, &status, 0);
  close(p[0]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int ok = strstr(s, "-ok") != NULL;
  char first[16];

  child_bytes = ok ? 3 : 1 << 20;
  if (strncmp(s, "wait-then-read", 14) == 0)
    return wait_then_read() != (long)child_bytes;
  if (strncmp(s, "bad-header", 10) == 0)
    return check_header() != -1;
  if (strncmp(s, "peek", 4) == 0)
    return peek_then_wait(first, sizeof first) <= 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

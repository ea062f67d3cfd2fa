// pipe-leaked-writer: a fork()ed writer child that keeps its own copy of
// the read end. The child inherits both ends at fork(); one that writes
// without closing its copy of the read end keeps the pipe's reading side
// alive itself, so the parent's close() of its copy never makes the
// child's write() fail with EPIPE. When the parent gives up after a few
// bytes, closes its read end and waits, the child stays blocked on the
// full pipe (1 MiB, far more than the 64 KiB a pipe holds) and the wait
// hangs; a parent that returns without waiting leaves it blocked for good
// (the scenario then reaps every child, as a job runner's shutdown does,
// and hangs). The "-ok" scenarios take the same functions' normal paths
// and finish. The child writes directly, through helpers two calls deep
// (write_filled -> write_all), and in a loop of dprintf().
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s close-then-wait hang
// RUN: %run_example %s close-then-wait-ok exit
// RUN: %run_example %s close-then-return hang
// RUN: %run_example %s close-then-return-ok exit
// RUN: %run_example %s closed-after-writing hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* The child writes a 1 MiB image through write_filled() and never closes
 * its copy of the read end; the parent checks the first byte, closes its
 * read end and waits. */
int image_kind_is(char want, char kind)
{
  int p[2];
  pid_t pid;
  char c;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    write_filled(p[1], kind, 'i', MIB);
    _exit(0);
  }
  close(p[1]);
  if (read_full(p[0], &c, 1) != 1 || c != want) {
    close(p[0]);
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: child process 'pid' is waited for here, but it still holds its own copy of the read end 'p[0]', inherited at fork() and never closed in the child: closing 'p[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe and this hangs; close 'p[0]' in the child before it writes [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-14]]:9: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:5: note: the child writes here with its copy of 'p[0]' still open
    // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    waitpid(pid, NULL, 0);
    return 0;
  }
  drain(p[0]);
  close(p[0]);
  waitpid(pid, NULL, 0);
  return 1;
}

/* The child prints a manifest in a dprintf() loop; the parent refuses a
 * wrong version line, closes its read end and returns without waiting. */
long manifest_lines(const char *version_line, long entries)
{
  int fds[2];
  pid_t pid;
  char first[32];
  size_t len = strlen(version_line);
  long lines = 0;
  char buf[8192];
  ssize_t n;

  if (len > sizeof first)
    return -1;
  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    long i;
    dprintf(fds[1], "manifest v2\n");
    for (i = 0; i < entries; i++)
      if (dprintf(fds[1], "usr/share/doc/package-%ld/changelog.gz\n", i) < 0)
        break;
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, version_line, len) != 0) {
    close(fds[0]);
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: child process 'pid' is never waited for on this path, but it still holds its own copy of the read end 'fds[0]', inherited at fork() and never closed in the child: closing 'fds[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe forever; close 'fds[0]' in the child before it writes [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-18]]:9: note: child process 'pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-11]]:5: note: the child writes here with its copy of 'fds[0]' still open
    // CHECK-MESSAGES: :[[@LINE-22]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    return -1;
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    ssize_t i;
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  }
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return lines;
}

/* The child closes its read end too, but only after it has written: it
 * is blocked in the write before it gets there. */
int first_block_ok(char kind)
{
  int p[2];
  pid_t pid;
  char c;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    int rc = write_filled(p[1], kind, 'b', 2 * MIB);
    close(p[0]);
    close(p[1]);
    _exit(rc == 0 ? 0 : 1);
  }
  close(p[1]);
  c = 0;
  read_full(p[0], &c, 1);
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: child process 'pid' is waited for here, but it still holds its own copy of the read end 'p[0]', inherited at fork() and never closed in the child: closing 'p[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe and this hangs; close 'p[0]' in the child before it writes [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-17]]:9: note: child process 'pid' starts here; it writes up to 2097152 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-11]]:14: note: the child writes here with its copy of 'p[0]' still open
  // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: taking the false branch
  waitpid(pid, NULL, 0);
  return c == 'B';
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  /* A write to a pipe whose every read end is closed then fails with
   * EPIPE instead of killing the process. */
  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "close-then-wait") == 0)
    return image_kind_is('P', 'G') != 0;
  if (strcmp(s, "close-then-wait-ok") == 0)
    return image_kind_is('P', 'P') != 1;
  if (strcmp(s, "close-then-return") == 0 || strcmp(s, "close-then-return-ok") == 0) {
    int bad = strcmp(s, "close-then-return") == 0;
    long n = manifest_lines(bad ? "manifest v3\n" : "manifest v2\n", 30000);
    int rc = (n < 0) != bad;
    /* Shutdown: reap every child that is left. */
    while (wait(NULL) > 0)
      ;
    return rc;
  }
  if (strcmp(s, "closed-after-writing") == 0)
    return first_block_ok('B') != 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

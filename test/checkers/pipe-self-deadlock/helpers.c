// pipe-self-deadlock through I/O helpers and loops (issue 17):
//
//  - a helper whose loop has no condition of its own and stops when a read
//    returns 0 or less (`for (;;) { n = read(fd, ...); if (n <= 0) break;
//    }`) reads to end-of-file, at depth 1 and 2: called while this process
//    still holds the write end, it never returns (hang);
//  - a write through a write_all()-style helper counts with its size: a
//    100000-byte one fills the pipe before the read-back (hang), and a
//    1-byte one is a write (the read that follows returns: silent);
//  - a loop of writes of sizes nobody can count (snprintf() results)
//    writes an unbounded amount: it fills the pipe before this thread reads
//    it back (hang); the same loop reading each line back is silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s slurp-held hang
// RUN: %run_example %s slurp-depth2-held hang
// RUN: %run_example %s big-helper-write hang
// RUN: %run_example %s unknown-loop-writes hang
// RUN: %run_example %s slurp-closed exit
// RUN: %run_example %s small-helper-write exit
// RUN: %run_example %s read-full exit
// RUN: %run_example %s echo-loop exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- helpers ------------------------------------------------------------ */

/* Reads fd to end-of-file; returns the byte count, -1 on an error. */
static long slurp(int fd)
{
  char buf[1024];
  long total = 0;

  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    total += n;
  }
  return total;
}

/* Collects a child's output (depth 2). */
static long collect_output(int fd)
{
  return slurp(fd);
}

/* ---- findings ----------------------------------------------------------- */

long capture_held(void)
{
  int fds[2];
  long n;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "one\ntwo\n", 8);
    _exit(0);
  }
  n = slurp(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'{{.*}}; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return n;
}

long capture_depth2_held(void)
{
  int fds[2];
  long n;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "one\ntwo\n", 8);
    _exit(0);
  }
  n = collect_output(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'{{.*}}; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return n;
}

/* Buffers a large record in a pipe to read it back in pieces. */
long big_record(void)
{
  int fds[2];
  static char record[100000];
  char head[16];
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  memset(record, 'r', sizeof record);
  if (write_all(fds[1], record, 100000) < 0) {
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: writing 100000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+6]]:7: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  n = read(fds[0], head, sizeof head);
  close(fds[0]);
  close(fds[1]);
  return n;
}

/* Formats 'count' log lines into a pipe, then reads the first back. */
long log_lines(int count)
{
  int fds[2], i;
  char line[128], first[128];
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  for (i = 0; i < count; i++) {
    int len = snprintf(line, sizeof line, "line %d: the quick brown fox\n", i);
    write(fds[1], line, (size_t)len);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing an amount that grows with the loop to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+4]]:7: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  }
  close(fds[1]);
  n = read(fds[0], first, sizeof first);
  close(fds[0]);
  return n;
}

/* ---- near-misses -------------------------------------------------------- */

long capture_closed(void)
{
  int fds[2];
  long n;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "one\ntwo\n", 8);
    _exit(0);
  }
  close(fds[1]);
  n = collect_output(fds[0]);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* A one-byte token written through write_all() and read back. */
int token_round_trip(void)
{
  int fds[2];
  char c = 0;

  if (pipe(fds) < 0)
    return -1;
  write_all(fds[1], "t", 1);
  if (read(fds[0], &c, 1) != 1)
    c = 0;
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* read_full() stops after 'len' bytes: not a read to end-of-file. */
long read_back_full(void)
{
  int fds[2];
  char buf[8];
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  write_all(fds[1], "12345678", 8);
  n = read_full(fds[0], buf, sizeof buf);
  close(fds[0]);
  close(fds[1]);
  return n;
}

/* Each line is read back before the next is written. */
long echo_lines(int count)
{
  int fds[2], i;
  char line[128], back[128];
  long total = 0;

  if (pipe(fds) < 0)
    return -1;
  for (i = 0; i < count; i++) {
    int len = snprintf(line, sizeof line, "line %d: the quick brown fox\n", i);
    write(fds[1], line, (size_t)len);
    total += read(fds[0], back, sizeof back);
  }
  close(fds[0]);
  close(fds[1]);
  return total;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "slurp-held") == 0)
    return capture_held() != 8;
  if (strcmp(s, "slurp-depth2-held") == 0)
    return capture_depth2_held() != 8;
  if (strcmp(s, "big-helper-write") == 0)
    return big_record() != 16;
  if (strcmp(s, "unknown-loop-writes") == 0)
    return log_lines(5000) <= 0;
  if (strcmp(s, "slurp-closed") == 0)
    return capture_closed() != 8;
  if (strcmp(s, "small-helper-write") == 0)
    return token_round_trip() != 't';
  if (strcmp(s, "read-full") == 0)
    return read_back_full() != 8;
  if (strcmp(s, "echo-loop") == 0)
    return echo_lines(5000) <= 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

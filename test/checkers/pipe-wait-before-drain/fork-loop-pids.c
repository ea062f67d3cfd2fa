// pipe-wait-before-drain with children started in a loop and their pids
// kept in an array at the loop's index (`pids[i] = fork()`), then waited
// for in a second loop (`waitpid(pids[i], ...)`) before the parent reads
// the pipe they all write. Each child writes more than the pipe holds
// (64 KiB), so the first wait never returns. The array may be a local or
// a member of a struct reached through a pointer (`w->pids[i]`).
//
// The near-miss reads the pipe to end-of-file before it waits, and
// finishes. A child that writes a few bytes fits in the pipe ("-ok"
// scenarios, same functions): the waits return.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s wait-all-then-read hang
// RUN: %run_example %s wait-all-then-read-ok exit
// RUN: %run_example %s struct-wait-all-then-read hang
// RUN: %run_example %s struct-wait-all-then-read-ok exit
// RUN: %run_example %s read-then-wait-all exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

#define WORKERS 3

static char chunk[1 << 17];

/* What each child writes: more than the pipe holds unless 'small'. */
static void produce(int fd, int small)
{
  write_all(fd, chunk, small ? 16 : sizeof chunk);
}

long wait_all_then_read(int small)
{
  int p[2];
  pid_t pids[WORKERS];
  long total = 0;
  ssize_t n;
  char buf[4096];

  if (pipe(p) < 0)
    return -1;
  for (int i = 0; i < WORKERS; i++) {
    pids[i] = fork();
    if (pids[i] < 0)
      exit(1);
    if (pids[i] == 0) {
      close(p[0]);
      produce(p[1], small);
      _exit(0);
    }
  }
  close(p[1]);
  for (int i = 0; i < WORKERS; i++)
    waitpid(pids[i], NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'pids[i]' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-13]]:15: note: child process 'pids[i]' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-17]]:19: note: the loop condition is false: leaving the loop
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  return total;
}

struct workers {
  pid_t pids[WORKERS];
  int out[2];
};

long struct_wait_all_then_read(int small)
{
  struct workers ws, *w = &ws;
  long total = 0;
  ssize_t n;
  char buf[4096];

  if (pipe(w->out) < 0)
    return -1;
  for (int i = 0; i < WORKERS; i++) {
    w->pids[i] = fork();
    if (w->pids[i] < 0)
      exit(1);
    if (w->pids[i] == 0) {
      close(w->out[0]);
      produce(w->out[1], small);
      _exit(0);
    }
  }
  close(w->out[1]);
  for (int i = 0; i < WORKERS; i++)
    waitpid(w->pids[i], NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'w->pids[i]' before its output pipe 'ws.out[0]' is read to the end: {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-13]]:18: note: child process 'w->pids[i]' starts here; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: 'ws.out[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-17]]:19: note: the loop condition is false: leaving the loop
  while ((n = read(w->out[0], buf, sizeof buf)) > 0)
    total += n;
  close(w->out[0]);
  return total;
}

long read_then_wait_all(void)
{
  int p[2];
  pid_t pids[WORKERS];
  long total = 0;
  ssize_t n;
  char buf[4096];

  if (pipe(p) < 0)
    return -1;
  for (int i = 0; i < WORKERS; i++) {
    pids[i] = fork();
    if (pids[i] < 0)
      exit(1);
    if (pids[i] == 0) {
      close(p[0]);
      produce(p[1], 0);
      _exit(0);
    }
  }
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  for (int i = 0; i < WORKERS; i++)
    waitpid(pids[i], NULL, 0);
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "wait-all-then-read") == 0)
    return wait_all_then_read(0) < 0;
  if (strcmp(s, "wait-all-then-read-ok") == 0)
    return wait_all_then_read(1) != 16 * WORKERS;
  if (strcmp(s, "struct-wait-all-then-read") == 0)
    return struct_wait_all_then_read(0) < 0;
  if (strcmp(s, "struct-wait-all-then-read-ok") == 0)
    return struct_wait_all_then_read(1) != 16 * WORKERS;
  if (strcmp(s, "read-then-wait-all") == 0)
    return read_then_wait_all() != (long)sizeof chunk * WORKERS;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Children started in a loop with their pids kept at the loop's index
// (`pids[i] = fork(); if (pids[i] == 0) { ...; _exit(0); }`). Once the
// loop has turned often enough that i is no longer known, the value just
// stored at pids[i] still decides the test of pids[i] that follows
// (PathState::ElementStores), so the child, which always ends in
// _exit(), is never taken for the parent. Before, the leak was reported
// "in the child process of fork()", which is false: the parent leaks the
// write end, once per call (the scenario counts the descriptors), and the
// warning now says so. The near miss closes the write end in the parent
// and stays silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "count-fds.h"

#define WORKERS 4

int start_workers(pid_t *out)
{
  int p[2];
  pid_t pids[WORKERS];

  if (pipe(p) < 0)
    return -1;
  for (int i = 0; i < WORKERS; i++) {
    pids[i] = fork();
    if (pids[i] < 0)
      exit(1);
    if (pids[i] == 0) {
      close(p[0]);
      _exit(0);
    }
  }
  close(p[0]);
  memcpy(out, pids, sizeof pids);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'start_workers' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-14]]:19: note: the loop condition is false: leaving the loop
}

int start_workers_closed(pid_t *out)
{
  int p[2];
  pid_t pids[WORKERS];

  if (pipe(p) < 0)
    return -1;
  for (int i = 0; i < WORKERS; i++) {
    pids[i] = fork();
    if (pids[i] < 0)
      exit(1);
    if (pids[i] == 0) {
      close(p[0]);
      close(p[1]);
      _exit(0);
    }
  }
  close(p[0]);
  close(p[1]);
  memcpy(out, pids, sizeof pids);
  return 0;
}

static void reap(const pid_t *pids)
{
  for (int i = 0; i < WORKERS; i++)
    waitpid(pids[i], NULL, 0);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  pid_t pids[WORKERS];
  int before = open_fds();

  if (strcmp(s, "leaks") == 0) {
    for (int k = 0; k < 3; k++) {
      if (start_workers(pids) != 0)
        return 1;
      reap(pids);
    }
    return open_fds() - before == 3 ? 0 : 1;
  }
  if (strcmp(s, "closes") == 0) {
    for (int k = 0; k < 3; k++) {
      if (start_workers_closed(pids) != 0)
        return 1;
      reap(pids);
    }
    return open_fds() == before ? 0 : 1;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain through a program's own spawn and wait functions:
// `spawn_cmd(argv, fa, &pid)` (posix_spawnp() with the caller's file
// actions, the pid through an out-parameter), `spawn_sh(cmd, fa, &pid)` (a
// wrapper of that: depth 2), `wait_child(pid)` (waitpid() retried on EINTR)
// and `reap(pid)` (a wrapper of that). Seen two ways, with the same
// findings: their bodies in this file (recognised as thin wrappers), or
// only their declarations (-DWRAPPERS_ELSEWHERE, as when they live in
// another file) with SpawnFunctions and WaitFunctions naming them.
//
// A command that prints more than a pipe holds (64 KiB) blocks in write()
// until somebody reads; waiting for it first waits forever. The "-ok"
// scenarios run the same functions on a command that prints a few bytes,
// and the near-misses read to end-of-file before they wait.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -config="{CheckOptions: [{key: SpawnFunctions, value: 'spawn_cmd:2;spawn_sh:2'}, {key: WaitFunctions, value: 'wait_child;reap'}]}" -- -I%S -DWRAPPERS_ELSEWHERE
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-wait-before-drain' %s -- -I%S -DWRAPPERS_ELSEWHERE 2>&1 | FileCheck --allow-empty --check-prefix=UNSEEN %s
// UNSEEN-NOT: warning:
//
// RUN: %run_example %s count-lines hang
// RUN: %run_example %s count-lines-ok exit
// RUN: %run_example %s output-size hang
// RUN: %run_example %s output-size-ok exit
// RUN: %run_example %s drain-first exit
// RUN: %run_example %s drain-first-2 exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

extern char **environ;

/* ---- the program's own process functions -------------------------------- */

#ifdef WRAPPERS_ELSEWHERE
int spawn_cmd(char *const argv[], const posix_spawn_file_actions_t *fa,
              pid_t *pid);
int spawn_sh(const char *cmd, const posix_spawn_file_actions_t *fa,
             pid_t *pid);
int wait_child(pid_t pid);
int reap(pid_t pid);
#else
/* Runs argv[0] from PATH with the file actions fa; 0 or an error number. */
int spawn_cmd(char *const argv[], const posix_spawn_file_actions_t *fa,
              pid_t *pid)
{
  return posix_spawnp(pid, argv[0], fa, NULL, argv, environ);
}

/* Runs a shell command line. */
int spawn_sh(const char *cmd, const posix_spawn_file_actions_t *fa,
             pid_t *pid)
{
  char *argv[] = {"sh", "-c", (char *)cmd, NULL};

  return spawn_cmd(argv, fa, pid);
}

/* Waits for the child; its exit status, or -1. */
int wait_child(pid_t pid)
{
  int status;

  if (pid <= 0)
    return -1;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* wait_child(), complaining about a failure. */
int reap(pid_t pid)
{
  int rc = wait_child(pid);

  if (rc != 0)
    fprintf(stderr, "child %d failed\n", (int)pid);
  return rc;
}
#endif

/* ---- wait before reading the output: hang -------------------------------- */

/* Counts the lines a shell command prints; -1 when it fails. Through the
 * depth-2 spawn wrapper and the depth-1 wait wrapper. */
long count_lines(const char *cmd)
{
  posix_spawn_file_actions_t fa;
  char buf[4096];
  long lines = 0;
  ssize_t n, i;
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  if (spawn_sh(cmd, &fa, &pid) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(p[0]);
    close(p[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: wait_child() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: taking the false branch
  if (wait_child(pid) != 0) {
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  close(p[0]);
  return lines;
}

/* The size of what argv prints; -1 when it fails. Through the depth-1 spawn
 * wrapper and the depth-2 wait wrapper. */
long output_size(char *const argv[])
{
  posix_spawn_file_actions_t fa;
  long size;
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  int err = spawn_cmd(argv, &fa, &pid);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (err != 0) {
    close(p[0]);
    return -1;
  }
  int rc = reap(pid);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reap() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-9]]:13: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
  size = drain(p[0]);
  close(p[0]);
  return rc == 0 ? size : -1;
}

/* ---- read to end-of-file, then wait: near-miss --------------------------- */

long count_lines_ok(const char *cmd)
{
  posix_spawn_file_actions_t fa;
  char buf[4096];
  long lines = 0;
  ssize_t n, i;
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  if (spawn_sh(cmd, &fa, &pid) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(p[0]);
    close(p[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  close(p[0]);
  return wait_child(pid) == 0 ? lines : -1;
}

long output_size_ok(char *const argv[])
{
  posix_spawn_file_actions_t fa;
  long size;
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  int err = spawn_cmd(argv, &fa, &pid);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (err != 0) {
    close(p[0]);
    return -1;
  }
  size = drain(p[0]);
  close(p[0]);
  return reap(pid) == 0 ? size : -1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *big[] = {"seq", "1", "100000", NULL};
  char *small[] = {"seq", "1", "3", NULL};

  if (strcmp(s, "count-lines") == 0)
    return count_lines("seq 1 100000") != 100000;
  if (strcmp(s, "count-lines-ok") == 0)
    return count_lines("seq 1 3") != 3;
  if (strcmp(s, "output-size") == 0)
    return output_size(big) != 588895;
  if (strcmp(s, "output-size-ok") == 0)
    return output_size(small) != 6;
  if (strcmp(s, "drain-first") == 0)
    return count_lines_ok("seq 1 100000") != 100000;
  if (strcmp(s, "drain-first-2") == 0)
    return output_size_ok(big) != 588895;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

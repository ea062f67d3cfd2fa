// Functions that look like fork, spawn, wait or thread-start wrappers but
// are not thin ones: taking them for wrappers would report what does not
// happen. Each is left as an unknown function (what it is given is handed
// off), so the checks stay silent; every scenario terminates.
//
//  - spawn_closing() closes every descriptor above 2 in the child before
//    the exec: the command does not inherit the write end;
//  - child_done() asks waitpid() with WNOHANG: it waits for nothing;
//  - maybe_wait() waits only when asked to;
//  - start_detached() detaches the thread it starts: nothing to join.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end,pipe-wait-before-drain,pipe-leaked-writer,pipe-self-deadlock %t -- -- -I%S
//
// Listed as wrappers, they would be reported (wrongly): the silence above
// comes from their bodies, not from a blind spot.
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' -config="{CheckOptions: [{key: SpawnFunctions, value: spawn_closing}, {key: WaitFunctions, value: 'child_done;maybe_wait'}]}" %s -- -I%S 2>&1 | FileCheck --check-prefix=LISTED %s
// LISTED: :[[@LINE+80]]:9: warning: write end 'p[1]' is inherited by the child that 'spawn_closing' starts
// LISTED: :[[@LINE+115]]:15: warning: child_done() waits for child process 'pid'
// LISTED: :[[@LINE+114]]:33: note: maybe_wait() here also waits for child process 'pid'
//
// RUN: %run_example %s spawn-closing exit
// RUN: %run_example %s probe exit
// RUN: %run_example %s maybe-wait exit
// RUN: %run_example %s detached exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

extern char **environ;

/* ---- not thin: what the caller would be told, wrongly -------------------- */

/* Runs argv with no descriptor but the standard ones. */
pid_t spawn_closing(char *const argv[])
{
  pid_t pid = fork();

  if (pid == 0) {
    closefrom(3);
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

/* Has the child exited? Never waits. */
int child_done(pid_t pid)
{
  return waitpid(pid, NULL, WNOHANG) == pid;
}

/* Waits for the child only if block is set. */
int maybe_wait(pid_t pid, int block)
{
  if (block)
    return waitpid(pid, NULL, 0) == pid ? 0 : -1;
  return 0;
}

/* Starts a thread nobody joins. */
int start_detached(void *(*fn)(void *), void *arg)
{
  pthread_t t;
  int err = pthread_create(&t, NULL, fn, arg);

  if (err == 0)
    pthread_detach(t);
  return err;
}

/* ---- the callers --------------------------------------------------------- */

/* A long-running command does not hold the write end: the read sees
 * end-of-file as soon as this process closes its copy. */
long wait_for_pipe(char *const argv[])
{
  int p[2];
  long total;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = spawn_closing(argv);
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  total = drain(p[0]);
  close(p[0]);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return total;
}

/* Spawns a command printing a lot; asks whether it is done (it is not),
 * reads its output, then waits. */
long spawned_output(char *const argv[], int probe)
{
  posix_spawn_file_actions_t fa;
  int p[2], status;
  long size;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (err != 0) {
    close(p[0]);
    return -1;
  }
  if (probe ? child_done(pid) : maybe_wait(pid, 0) != 0)
    fprintf(stderr, "done already\n");
  size = drain(p[0]);
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  return size;
}

static void *greet(void *arg)
{
  int fd = (int)(intptr_t)arg;

  write_all(fd, "hello\n", 6);
  close(fd);
  return NULL;
}

/* A detached writer of a few bytes: the reader may give up at once. */
int first_is(char want)
{
  int fds[2];
  char c;

  if (pipe(fds) < 0)
    return -1;
  if (start_detached(greet, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &c, 1) != 1 || c != want) {
    close(fds[0]);
    return 0;
  }
  close(fds[0]);
  return 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *sleeper[] = {"sleep", "30", NULL};
  char *big[] = {"seq", "1", "100000", NULL};

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "spawn-closing") == 0)
    return wait_for_pipe(sleeper) != 0;
  if (strcmp(s, "probe") == 0)
    return spawned_output(big, 1) != 588895;
  if (strcmp(s, "maybe-wait") == 0)
    return spawned_output(big, 0) != 588895;
  if (strcmp(s, "detached") == 0)
    return first_is('x') != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

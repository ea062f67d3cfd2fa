// Near-misses of cross-function-tasks.c: the writer's handle is kept in a
// struct member, an array element or behind a pointer, and on the early
// path the read end is closed before the helper joins or waits (three
// helpers deep), or the handle goes where the analysis does not follow it
// (an element with an index it cannot tell, a helper called through a
// function pointer), so somebody else may join it. pipe-leaked-writer must
// not report anything here. Every scenario takes the early path and
// exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s close-then-finish exit
// RUN: %run_example %s pid-array-close-then-wait exit
// RUN: %run_example %s pid-pointer-close-then-finish exit
// RUN: %run_example %s unknown-index exit
// RUN: %run_example %s function-pointer exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct job {
  int out;
  size_t bytes;
  pthread_t tid;
};

static void *write_job(void *arg)
{
  struct job *j = arg;

  write_filled(j->out, 'H', 'j', j->bytes);
  close(j->out);
  return NULL;
}

static void join_tid(struct job *j)
{
  pthread_join(j->tid, NULL);
}

static void wait_writer(struct job *j)
{
  join_tid(j);
}

static void finish_job(struct job *j)
{
  wait_writer(j);
}

/* The read end is closed first: the writer fails with EPIPE and the join,
 * three helpers down, returns. */
long read_job_output(char header)
{
  int fds[2];
  struct job job;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out = fds[1];
  job.bytes = MIB;
  if (pthread_create(&job.tid, NULL, write_job, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    finish_job(&job);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  finish_job(&job);
  return n;
}

/* A child forked into pids[0]: the read end is closed before the wait. */
long first_worker_output(char header)
{
  int fds[2];
  pid_t pids[2];
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  pids[0] = fork();
  if (pids[0] < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pids[0] == 0) {
    close(fds[0]);
    write_filled(fds[1], 'H', 'w', MIB);
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    waitpid(pids[0], NULL, 0);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  waitpid(pids[0], NULL, 0);
  return n;
}

struct child {
  pid_t pid;
  int status;
};

static int finish_child(struct child *cp)
{
  if (waitpid(cp->pid, &cp->status, 0) < 0)
    return -1;
  return WIFEXITED(cp->status) ? WEXITSTATUS(cp->status) : -1;
}

/* A child started into a record through a pointer: closed, then waited. */
long child_record_header(char header)
{
  int fds[2];
  struct child rec;
  struct child *cp = &rec;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cp->pid = fork();
  if (cp->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cp->pid == 0) {
    close(fds[0]);
    write_filled(fds[1], 'H', 'c', MIB);
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    finish_child(cp);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  finish_child(cp);
  return n;
}

/* Workers forked into pids[i] in a loop: which element holds which child
 * is not followed (the children are handed off), and the early return
 * gives the read end to a global that the caller closes before it reaps
 * them. */
static int early_fd = -1;

long workers_output(int workers, char header)
{
  int fds[2];
  pid_t pids[4];
  char first;
  int i;
  long n;

  if (workers > 4 || pipe(fds) < 0)
    return -1;
  for (i = 0; i < workers; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      close(fds[0]);
      write_filled(fds[1], 'H', 'w', MIB);
      _exit(0);
    }
  }
  close(fds[1]);
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    early_fd = fds[0];
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  for (i = 0; i < workers; i++)
    waitpid(pids[i], NULL, 0);
  return n;
}

/* The finishing helper is called through a function pointer: what it does
 * with the record is not followed, so the thread is its business. */
static void (*finisher)(struct job *) = finish_job;

long read_via_pointer(char header)
{
  int fds[2];
  struct job job;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out = fds[1];
  job.bytes = MIB;
  if (pthread_create(&job.tid, NULL, write_job, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    finisher(&job);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  finisher(&job);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "close-then-finish") == 0)
    return read_job_output('X') != -1;
  if (strcmp(s, "pid-array-close-then-wait") == 0)
    return first_worker_output('X') != -1;
  if (strcmp(s, "pid-pointer-close-then-finish") == 0)
    return child_record_header('X') != -1;
  if (strcmp(s, "unknown-index") == 0) {
    int rc = workers_output(2, 'X') != -1;
    close(early_fd);
    while (wait(NULL) > 0)
      ;
    return rc;
  }
  if (strcmp(s, "function-pointer") == 0)
    return read_via_pointer('X') != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain where the pipe's ends sit one struct deeper than
// the record a helper is given (`j->out.rd`, `j->out.wr` with `struct ends
// out` inside `struct job`): the helper two calls down makes the pipe and
// stores both ends there, the caller forks a child that writes the pipe,
// and waits for the child before reading it. A child that writes more than
// the pipe holds (64 KiB) never exits, so the wait never returns.
//
// The near miss reads the pipe to end-of-file before the wait; it finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s read-first exit

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

#define BIG (1 << 17)

struct ends {
  int rd, wr;
};

struct job {
  pid_t pid;
  struct ends out;
  const char *name;
};

static int job_pipe(struct job *j)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  j->out.rd = p[0];
  j->out.wr = p[1];
  return 0;
}

static int job_open(struct job *j, const char *name)
{
  j->name = name;
  return job_pipe(j);
}

static void start_child(struct job *j)
{
  j->pid = fork();
  if (j->pid < 0)
    exit(1);
  if (j->pid == 0) {
    close(j->out.rd);
    write_filled(j->out.wr, 'a', 'b', BIG);
    _exit(0);
  }
  close(j->out.wr);
}

long wait_first(void)
{
  struct job j;
  long got;

  if (job_open(&j, "report") < 0)
    return -1;
  start_child(&j);
  waitpid(j.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid' before its output pipe 'j.out.rd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out.rd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: child process 'j.pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:9: note: 'j.out.rd' is read only here, after the wait
  got = drain(j.out.rd);
  close(j.out.rd);
  return got;
}

long read_first(void)
{
  struct job j;
  long got;

  if (job_open(&j, "report") < 0)
    return -1;
  start_child(&j);
  got = drain(j.out.rd);
  close(j.out.rd);
  waitpid(j.pid, NULL, 0);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "wait-first") == 0)
    return wait_first() != BIG;
  if (strcmp(s, "read-first") == 0)
    return read_first() != BIG;
  return 2;
}

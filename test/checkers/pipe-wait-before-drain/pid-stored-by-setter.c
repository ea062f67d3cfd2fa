// pipe-wait-before-drain where the start helper keeps the child's pid and
// the read end of its output pipe in the caller's struct through a setter
// (`job_set(j, p[0], pid)` doing `j->out = out; j->pid = pid;`), one or
// two calls deep: the caller finds the child in `j.pid` and waits for it
// before reading `j.out`. A child that writes more than the pipe holds
// (64 KiB) never exits, so the wait never returns (hang). The near miss
// reads first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s setter hang
// RUN: %run_example %s setter-two-deep hang
// RUN: %run_example %s read-first exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

#define BIG (1 << 17)

struct job {
  pid_t pid;
  int out;
};

static void job_set(struct job *j, int out, pid_t pid)
{
  j->out = out;
  j->pid = pid;
}

static void job_record(struct job *j, int out, pid_t pid)
{
  job_set(j, out, pid);
}

static int job_start(struct job *j, int two_deep)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    write_filled(p[1], 'a', 'b', BIG);
    _exit(0);
  }
  close(p[1]);
  if (two_deep)
    job_record(j, p[0], pid);
  else
    job_set(j, p[0], pid);
  return 0;
}

static long wait_then_read(int two_deep)
{
  struct job j;
  if (job_start(&j, two_deep) < 0)
    return -1;
  waitpid(j.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid' before its output pipe 'j.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'j.pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'j.out' is read only here, after the wait
  long got = drain(j.out);
  close(j.out);
  return got;
}

static long read_first(void)
{
  struct job j;
  if (job_start(&j, 0) < 0)
    return -1;
  long got = drain(j.out);
  close(j.out);
  waitpid(j.pid, NULL, 0);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "setter") == 0)
    return wait_then_read(0) != BIG;
  if (strcmp(s, "setter-two-deep") == 0)
    return wait_then_read(1) != BIG;
  if (strcmp(s, "read-first") == 0)
    return read_first() != BIG;
  return 2;
}

// pipe-wait-before-drain where a helper stores the read end in the
// caller's struct (`job_attach(&j, p[0])`: it closes what `j->out` held
// and keeps the new descriptor there), one or two calls deep: the caller
// then waits for the child before reading `j.out`. A child that writes
// more than the pipe holds (64 KiB) never exits, so the wait never
// returns (hang). The near miss reads first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s attach hang
// RUN: %run_example %s attach-two-deep hang
// RUN: %run_example %s read-first exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>
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

static void job_attach(struct job *j, int fd)
{
  if (j->out >= 0)
    close(j->out);
  j->out = fd;
}

static void job_take_output(struct job *j, int fd)
{
  job_attach(j, fd);
}

static int start(struct job *j, int p[2])
{
  if (pipe(p) < 0)
    return -1;
  j->pid = fork();
  if (j->pid < 0)
    exit(1);
  if (j->pid == 0) {
    close(p[0]);
    write_filled(p[1], 'a', 'b', BIG);
    _exit(0);
  }
  close(p[1]);
  return 0;
}

long attach(void)
{
  struct job j = { -1, -1 };
  int p[2];
  long got;

  if (start(&j, p) < 0)
    return -1;
  job_attach(&j, p[0]);
  waitpid(j.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid' before its output pipe 'j.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'j.pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:9: note: 'j.out' is read only here, after the wait
  got = drain(j.out);
  close(j.out);
  return got;
}

long attach_two_deep(void)
{
  struct job j = { -1, -1 };
  int p[2];
  long got;

  if (start(&j, p) < 0)
    return -1;
  job_take_output(&j, p[0]);
  waitpid(j.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid' before its output pipe 'j.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'j.pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:9: note: 'j.out' is read only here, after the wait
  got = drain(j.out);
  close(j.out);
  return got;
}

long read_first(void)
{
  struct job j = { -1, -1 };
  int p[2];
  long got;

  if (start(&j, p) < 0)
    return -1;
  job_attach(&j, p[0]);
  got = drain(j.out);
  close(j.out);
  waitpid(j.pid, NULL, 0);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "attach") == 0)
    return attach() != BIG;
  if (strcmp(s, "attach-two-deep") == 0)
    return attach_two_deep() != BIG;
  if (strcmp(s, "read-first") == 0)
    return read_first() != BIG;
  return 2;
}

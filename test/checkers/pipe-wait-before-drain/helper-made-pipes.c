// pipe-wait-before-drain when the helper that starts the child also makes
// its output pipe and hands the caller only the parent's end: in a member
// of a nested struct two helpers deep (`open_job()` calls `launch()`,
// which forks into `j->proc.pid` and leaves the read end in `j->out`), or
// returned with the pid through an out-parameter (`fd =
// spawn_seq(last, &pid)`). The caller waits for the child before it reads
// the output: `seq 1 100000` fills the pipe (64 KiB) and blocks, so the
// wait never returns; the "-ok" scenarios print three lines, which fit,
// and finish. The near-misses read the output to end-of-file first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s nested-wait-first hang
// RUN: %run_example %s nested-wait-first-ok exit
// RUN: %run_example %s outparam-wait-first hang
// RUN: %run_example %s outparam-wait-first-ok exit
// RUN: %run_example %s nested-read-first exit
// RUN: %run_example %s outparam-read-first exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct job {
  const char *last; /* seq 1 LAST */
  struct {
    pid_t pid;
    int status;
  } proc;
  int out; /* the parent's end of the child's standard output */
};

/* Makes the pipe and starts `seq 1 LAST` writing to it; 0, or -1. */
static int launch(struct job *j)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  j->proc.pid = fork();
  if (j->proc.pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (j->proc.pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("seq", "seq", "1", j->last, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  j->out = p[0];
  return 0;
}

/* One level up: fills the record in and launches it. */
static int open_job(struct job *j, const char *last)
{
  j->last = last;
  j->proc.status = 0;
  return launch(j);
}

long nested_wait_first(const char *last)
{
  struct job j;
  long n;

  if (open_job(&j, last) != 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: waitpid() waits for child process 'j.proc.pid' before its output pipe 'j.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: child process 'j.proc.pid' starts here; it makes 'p[1] in launch() in open_job()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:7: note: 'j.out' is read only here, after the wait
  waitpid(j.proc.pid, &j.proc.status, 0);
  n = drain(j.out);
  close(j.out);
  return n;
}

/* Near-miss: the same helpers, the output read first. */
long nested_read_first(const char *last)
{
  struct job j;
  long n;

  if (open_job(&j, last) != 0)
    return -1;
  n = drain(j.out);
  close(j.out);
  waitpid(j.proc.pid, &j.proc.status, 0);
  return n;
}

/* Starts `seq 1 LAST`; returns the read end of its output and puts its
 * pid in *pidp, or returns -1. */
static int spawn_seq(const char *last, pid_t *pidp)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  *pidp = pid;
  return p[0];
}

long outparam_wait_first(const char *last)
{
  pid_t pid;
  int status;
  long n;
  int fd = spawn_seq(last, &pid);

  if (fd < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: waitpid() waits for child process 'pid' before its output pipe 'fd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: child process 'pid' starts here; it makes 'p[1] in spawn_seq()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-6]]:12: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: 'fd' is read only here, after the wait
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  n = drain(fd);
  close(fd);
  return n;
}

/* Near-miss: the output read first. */
long outparam_read_first(const char *last)
{
  pid_t pid;
  int status;
  long n;
  int fd = spawn_seq(last, &pid);

  if (fd < 0)
    return -1;
  n = drain(fd);
  close(fd);
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "nested-wait-first") == 0)
    return nested_wait_first("100000") != 588895;
  if (strcmp(s, "nested-wait-first-ok") == 0)
    return nested_wait_first("3") != 6;
  if (strcmp(s, "outparam-wait-first") == 0)
    return outparam_wait_first("100000") != 588895;
  if (strcmp(s, "outparam-wait-first-ok") == 0)
    return outparam_wait_first("3") != 6;
  if (strcmp(s, "nested-read-first") == 0)
    return nested_read_first("100000") != 588895;
  if (strcmp(s, "outparam-read-first") == 0)
    return outparam_read_first("100000") != 588895;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain where the child's pid and the read end of its
// output pipe are kept in a struct the function was given a pointer to
// (`j->pid`, `j->out`, `jobs[0].pid`): the function, or a helper it calls,
// starts the child and stores both there, then waits for the child before
// reading the pipe. A child that writes more than the pipe holds (64 KiB)
// never exits, so the wait never returns.
//
// Shapes: everything in the function; the start in a helper given the same
// pointer (one and two calls deep); the pipe made right into the struct
// (`pipe(j->fds)`); an element of an array parameter. The near misses read
// the pipe to end-of-file first, or only start the child and leave the
// rest to the caller; both finish.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s inline hang
// RUN: %run_example %s inline-small exit
// RUN: %run_example %s helper hang
// RUN: %run_example %s helper-two-deep hang
// RUN: %run_example %s member-pipe hang
// RUN: %run_example %s array-param hang
// RUN: %run_example %s read-first exit
// RUN: %run_example %s start-only exit

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

static char chunk[1 << 17];

struct job {
  pid_t pid;
  int out;
  int fds[2];
  int status;
};

/* Starts a child that writes 'size' bytes into a new pipe; the parent
 * keeps the child's pid and the read end in *j. */
static int start_job(struct job *j, size_t size)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  j->pid = fork();
  if (j->pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (j->pid == 0) {
    close(p[0]);
    write_all(p[1], chunk, size);
    _exit(0);
  }
  close(p[1]);
  j->out = p[0];
  return 0;
}

static int start_job_logged(struct job *j, size_t size)
{
  if (start_job(j, size) < 0) {
    perror("start_job");
    return -1;
  }
  return 0;
}

long run_inline(struct job *j, size_t size)
{
  int p[2];
  long total;

  if (pipe(p) < 0)
    return -1;
  j->pid = fork();
  if (j->pid < 0)
    exit(1);
  if (j->pid == 0) {
    close(p[0]);
    write_all(p[1], chunk, size);
    _exit(0);
  }
  close(p[1]);
  j->out = p[0];
  waitpid(j->pid, &j->status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j->pid' before its output pipe 'j->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-12]]:12: note: child process 'j->pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:11: note: 'j->out' is read only here, after the wait
  total = drain(j->out);
  close(j->out);
  return total;
}

long run_helper(struct job *j)
{
  long total;

  if (start_job(j, sizeof chunk) < 0)
    return -1;
  waitpid(j->pid, &j->status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j->pid' before its output pipe 'j->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'j->pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:11: note: 'j->out' is read only here, after the wait
  total = drain(j->out);
  close(j->out);
  return total;
}

static void reap(struct job *j)
{
  while (waitpid(j->pid, &j->status, 0) < 0)
    ;
}

long run_helper_two_deep(struct job *j)
{
  long total;

  if (start_job_logged(j, sizeof chunk) < 0)
    return -1;
  reap(j);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: reap() waits for child process 'j->pid' before its output pipe 'j->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'j->pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:11: note: 'j->out' is read only here, after the wait
  total = drain(j->out);
  close(j->out);
  return total;
}

long run_member_pipe(struct job *j)
{
  long total;

  if (pipe(j->fds) < 0)
    return -1;
  j->pid = fork();
  if (j->pid < 0)
    exit(1);
  if (j->pid == 0) {
    close(j->fds[0]);
    write_all(j->fds[1], chunk, sizeof chunk);
    _exit(0);
  }
  close(j->fds[1]);
  reap(j);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: reap() waits for child process 'j->pid' before its output pipe 'j->fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-11]]:12: note: child process 'j->pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:11: note: 'j->fds[0]' is read only here, after the wait
  total = drain(j->fds[0]);
  close(j->fds[0]);
  return total;
}

long run_array_param(struct job jobs[], int n)
{
  long total;

  if (n < 1 || start_job(&jobs[0], sizeof chunk) < 0)
    return -1;
  waitpid(jobs[0].pid, &jobs[0].status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'jobs[0].pid' before its output pipe 'jobs[0].out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'jobs[0].out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:16: note: child process 'jobs[0].pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:11: note: 'jobs[0].out' is read only here, after the wait
  total = drain(jobs[0].out);
  close(jobs[0].out);
  return total;
}

/* Near miss: reads to end-of-file, then waits. */
long run_read_first(struct job *j)
{
  long total;

  if (start_job(j, sizeof chunk) < 0)
    return -1;
  total = drain(j->out);
  close(j->out);
  reap(j);
  return total;
}

/* Near miss: starts the child and leaves the pipe and the pid to the
 * caller, which reads first. */
int start_only(struct job *j)
{
  if (pipe(j->fds) < 0)
    return -1;
  j->pid = fork();
  if (j->pid < 0) {
    close(j->fds[0]);
    close(j->fds[1]);
    return -1;
  }
  if (j->pid == 0) {
    close(j->fds[0]);
    write_all(j->fds[1], chunk, sizeof chunk);
    _exit(0);
  }
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  struct job j, jobs[2];

  if (strcmp(s, "inline") == 0)
    return run_inline(&j, sizeof chunk) < 0;
  if (strcmp(s, "inline-small") == 0)
    return run_inline(&j, 16) != 16;
  if (strcmp(s, "helper") == 0)
    return run_helper(&j) < 0;
  if (strcmp(s, "helper-two-deep") == 0)
    return run_helper_two_deep(&j) < 0;
  if (strcmp(s, "member-pipe") == 0)
    return run_member_pipe(&j) < 0;
  if (strcmp(s, "array-param") == 0)
    return run_array_param(jobs, 2) < 0;
  if (strcmp(s, "read-first") == 0)
    return run_read_first(&j) != (long)sizeof chunk;
  if (strcmp(s, "start-only") == 0) {
    long total;
    if (start_only(&j) < 0)
      return 1;
    close(j.fds[1]);
    total = drain(j.fds[0]);
    close(j.fds[0]);
    reap(&j);
    return total != (long)sizeof chunk;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

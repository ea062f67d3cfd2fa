// pipe-leaked-writer with the writer's handle kept somewhere other than a
// plain local variable: a pthread_t in a struct member (`job.tid`), a pid in
// an array element (`pids[0]`) or behind a pointer (`cp->pid`), and joined
// or waited for by a helper (`finish_job(&job)`, two helpers deep;
// `finish_child(cp)`), as programs that keep a job or child record do.
// The reader gives up early: leaving without the join, or joining through
// the helper before the read end is closed, leaves the writer blocked on
// the full pipe (1 MiB, far more than the 64 KiB a pipe holds). The "-ok"
// scenarios take the normal path of the same functions and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s struct-tid-never-joined hang
// RUN: %run_example %s struct-tid-never-joined-ok exit
// RUN: %run_example %s helper-join-before-close hang
// RUN: %run_example %s helper-join-before-close-ok exit
// RUN: %run_example %s pid-array-never-waited hang
// RUN: %run_example %s pid-array-never-waited-ok exit
// RUN: %run_example %s pid-pointer-wait-before-close hang
// RUN: %run_example %s pid-pointer-wait-before-close-ok exit

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

/* ---- a writer thread whose handle lives in its job record --------------- */

struct job {
  int out;      /* the write end the thread writes and closes */
  size_t bytes; /* how much it writes after its 'H' header byte */
  pthread_t tid;
};

static void *write_job(void *arg)
{
  struct job *j = arg;

  write_filled(j->out, 'H', 'j', j->bytes);
  close(j->out);
  return NULL;
}

/* Joins the job's thread: the handle is a member of what it is given. */
static void wait_writer(struct job *j)
{
  pthread_join(j->tid, NULL);
}

static void finish_job(struct job *j)
{
  wait_writer(j);
}

/* Reads a job's output if its header byte is the one asked for; returns
 * its size, or -1. The thread is never joined when the header is wrong. */
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
  if (read_full(fds[0], &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'job.tid' running 'write_job' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'job.tid' running 'write_job' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  n = drain(fds[0]);
  close(fds[0]);
  finish_job(&job);
  return n;
}

/* The same, but on a wrong header the helper joins the thread before the
 * read end is closed. */
long check_job_header(char header)
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
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'job.tid' running 'write_job' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'job.tid' running 'write_job' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    finish_job(&job);
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  finish_job(&job);
  return n;
}

/* ---- writer children whose pids live in an array or a record ------------ */

/* Reads the first byte the first of two workers writes; the workers are
 * forked into pids[0] and pids[1], the second one only writes a byte. */
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
  if (read_full(fds[0], &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'pids[0]' is never waited for on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE and wait for it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-14]]:13: note: child process 'pids[0]' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  n = drain(fds[0]);
  close(fds[0]);
  waitpid(pids[0], NULL, 0);
  return n;
}

struct child {
  pid_t pid;
  int status;
};

/* Waits for the child whose pid is in the record; returns its exit status. */
static int finish_child(struct child *cp)
{
  if (waitpid(cp->pid, &cp->status, 0) < 0)
    return -1;
  return WIFEXITED(cp->status) ? WEXITSTATUS(cp->status) : -1;
}

/* Reads the header a child writes through a record it is started into; on
 * a wrong header the child is waited for before the read end is closed. */
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
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'cp->pid' is waited for here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-14]]:13: note: child process 'cp->pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    finish_child(cp);
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  finish_child(cp);
  return n;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  /* A write to a pipe whose read end is closed fails with EPIPE. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "struct-tid-never-joined") == 0) {
    if (read_job_output('X') != -1)
      return 1;
    /* Let the other threads run to completion: never, if one is blocked. */
    pthread_exit(NULL);
  }
  if (strcmp(s, "struct-tid-never-joined-ok") == 0)
    return read_job_output('H') != MIB - 1;
  if (strcmp(s, "helper-join-before-close") == 0)
    return check_job_header('X') != -1;
  if (strcmp(s, "helper-join-before-close-ok") == 0)
    return check_job_header('H') != MIB - 1;
  if (strcmp(s, "pid-array-never-waited") == 0 ||
      strcmp(s, "pid-array-never-waited-ok") == 0) {
    int bad = strcmp(s, "pid-array-never-waited") == 0;
    long n = first_worker_output(bad ? 'X' : 'H');
    int rc = bad ? n != -1 : n != MIB - 1;
    /* Shutdown: reap every child that is left, as a job runner does. */
    while (wait(NULL) > 0)
      ;
    return rc;
  }
  if (strcmp(s, "pid-pointer-wait-before-close") == 0)
    return child_record_header('X') != -1;
  if (strcmp(s, "pid-pointer-wait-before-close-ok") == 0)
    return child_record_header('H') != MIB - 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

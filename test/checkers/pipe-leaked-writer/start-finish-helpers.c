// pipe-leaked-writer with the writer started and joined through a pair of
// helpers, as job runners write them: `start_job(&job)` creates the thread
// into `job.tid` (the helper's summary says it leaves one thread running
// there, holding the write end it finds in the record), and
// `finish_job(&job)` joins it, one to three calls down. The reader gives up
// early: leaving without finish_job() leaves the writer blocked on the full
// pipe; calling it before closing the read end hangs in the join. The
// near-miss closes the read end first. The writer writes 1 MiB, more than
// the 64 KiB a pipe holds.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s never-finished hang
// RUN: %run_example %s never-finished-ok exit
// RUN: %run_example %s finished-before-close hang
// RUN: %run_example %s close-then-finish exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
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

/* Starts the job's writer thread; 0, or -1 when no thread started. */
static int start_job(struct job *j)
{
  if (pthread_create(&j->tid, NULL, write_job, j) != 0)
    return -1;
  return 0;
}

static void join_job(struct job *j)
{
  pthread_join(j->tid, NULL);
}

static void reap_job(struct job *j)
{
  join_job(j);
}

static void finish_job(struct job *j)
{
  reap_job(j);
}

/* Reads a job's output if its header is the one asked for. */
long job_output(char header)
{
  int fds[2];
  struct job job;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out = fds[1];
  job.bytes = MIB;
  if (start_job(&job) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'job.tid' running 'write_job' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'job.tid' running 'write_job' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  n = drain(fds[0]);
  close(fds[0]);
  finish_job(&job);
  return n;
}

/* The same, finishing the job on the early path before the close. */
long job_header(char header)
{
  int fds[2];
  struct job job;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out = fds[1];
  job.bytes = MIB;
  if (start_job(&job) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'job.tid' running 'write_job' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'job.tid' running 'write_job' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
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

/* Near-miss: the read end is closed first; the writer fails with EPIPE. */
long job_header_closed(char header)
{
  int fds[2];
  struct job job;
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out = fds[1];
  job.bytes = MIB;
  if (start_job(&job) < 0) {
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

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "never-finished") == 0) {
    if (job_output('X') != -1)
      return 1;
    pthread_exit(NULL); /* waits for the blocked writer: never returns */
  }
  if (strcmp(s, "never-finished-ok") == 0)
    return job_output('H') != MIB - 1;
  if (strcmp(s, "finished-before-close") == 0)
    return job_header('X') != -1;
  if (strcmp(s, "close-then-finish") == 0)
    return job_header_closed('X') != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

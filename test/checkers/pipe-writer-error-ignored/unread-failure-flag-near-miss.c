// Near misses of unread-failure-flag.c: the writer thread records its
// failure in the job struct, and the reader looks after the join, testing
// the member itself or handing the whole struct to a helper that does.
// Each scenario makes the writer fail part-way (the second file does not
// exist) and exits 0 when the reader reported the failure; nothing is
// reported.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s member-tested exit
// RUN: %run_example %s struct-to-helper exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "Inputs/io-helpers.h"

struct copy_job {
  int out;
  const char *const *paths;
  int failed;
};

static void *copy_files(void *arg)
{
  struct copy_job *j = arg;
  int i;

  for (i = 0; j->paths[i]; i++) {
    char chunk[4096];
    ssize_t n = load_small_file(j->paths[i], chunk, sizeof chunk);
    if (n < 0 || write_all(j->out, chunk, (size_t)n) < 0) {
      j->failed = 1;
      break;
    }
  }
  close(j->out);
  return NULL;
}

/* The reader tests the flag after the join. */
long concat_checked(const char *const *paths, char *out, size_t cap)
{
  int p[2];
  pthread_t tid;
  struct copy_job job;
  long n;

  if (pipe(p) < 0)
    return -1;
  job.out = p[1];
  job.paths = paths;
  job.failed = 0;
  if (pthread_create(&tid, NULL, copy_files, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  n = read_to_end(p[0], out, cap);
  close(p[0]);
  pthread_join(tid, NULL);
  if (job.failed)
    return -1;
  return n;
}

/* The job's outcome, as a helper of the reader's sees it. */
static long job_result(const struct copy_job *j, long n)
{
  return j->failed ? -1 : n;
}

/* The reader hands the whole struct to a helper after the join. */
long concat_via_helper(const char *const *paths, char *out, size_t cap)
{
  int p[2];
  pthread_t tid;
  struct copy_job job;
  long n;

  if (pipe(p) < 0)
    return -1;
  job.out = p[1];
  job.paths = paths;
  job.failed = 0;
  if (pthread_create(&tid, NULL, copy_files, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  n = read_to_end(p[0], out, cap);
  close(p[0]);
  pthread_join(tid, NULL);
  return job_result(&job, n);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char a[256], b[256], c[256], out[4096];
  const char *paths[4];
  long n = 0;
  int rc;

  signal(SIGPIPE, SIG_IGN);
  if (make_fixture_dir() < 0 || write_fixture("head.txt", "head\n") < 0 ||
      write_fixture("tail.txt", "tail\n") < 0)
    return 2;
  paths[0] = strcpy(a, fixture_path(a, sizeof a, "head.txt"));
  paths[1] = strcpy(b, fixture_path(b, sizeof b, "body.txt"));
  paths[2] = strcpy(c, fixture_path(c, sizeof c, "tail.txt"));
  paths[3] = NULL;
  rc = 2;
  if (strcmp(s, "member-tested") == 0)
    n = concat_checked(paths, out, sizeof out);
  else if (strcmp(s, "struct-to-helper") == 0)
    n = concat_via_helper(paths, out, sizeof out);
  else
    fprintf(stderr, "unknown scenario '%s'\n", s);
  if (rc == 2 && (strcmp(s, "member-tested") == 0 || strcmp(s, "struct-to-helper") == 0)) {
    /* body.txt does not exist: 0 when the reader said so. */
    rc = n == -1 ? 0 : 1;
    if (rc)
      fprintf(stderr, "the reader returned %ld bytes as a success\n", n);
  }
  remove_fixture_dir();
  return rc;
}

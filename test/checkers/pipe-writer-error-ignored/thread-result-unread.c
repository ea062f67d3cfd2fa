// pipe-writer-error-ignored (issue 17): pthread_join(t, &ret) keeps what
// the writer thread returns, its only sign of failure, in a variable that
// nothing reads afterwards. Storing the status is not checking it: the
// reader returns the truncated output as complete, exactly as with
// pthread_join(t, NULL).
//
// The writer writes a header and then fails (its input does not exist) and
// returns (void *)1. The bad scenarios exit 0 only when the reader reported
// success and returned just the header: the truncation went unnoticed. The
// near-misses read the variable (a test, or a helper given it), report the
// failure, exit 0 when they do, and are silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s result-unread exit
// RUN: %run_example %s result-unread-cast exit
// RUN: %run_example %s result-tested exit
// RUN: %run_example %s result-to-helper exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static const char kHeader[] = "HDR\n";

struct job {
  int fd;
  const char *path;
};

/* Writes the header, then the file; (void *)1 when the file cannot be
 * opened. */
static void *send_file(void *arg)
{
  struct job *j = arg;
  char buf[4096];
  ssize_t n;
  int in;

  write_all(j->fd, kHeader, sizeof kHeader - 1);
  in = open(j->path, O_RDONLY);
  if (in < 0) {
    close(j->fd);
    return (void *)1;
  }
  while ((n = read(in, buf, sizeof buf)) > 0)
    write_all(j->fd, buf, (size_t)n);
  close(in);
  close(j->fd);
  return NULL;
}

/* Reads p[0] to end-of-file into out; the length read. */
static size_t slurp(int fd, char *out, size_t cap)
{
  size_t len = 0;
  ssize_t n;
  char chunk[4096];

  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, chunk, k);
    len += k;
  }
  out[len] = '\0';
  return len;
}

/* ---- findings ----------------------------------------------------------- */

long fetch_result_unread(const char *path, char *out, size_t cap)
{
  int p[2];
  pthread_t t;
  struct job j;
  size_t len = 0;
  ssize_t n;
  char chunk[4096];
  void *ret = NULL;

  if (pipe(p) < 0)
    return -1;
  j.fd = p[1];
  j.path = path;
  if (pthread_create(&t, NULL, send_file, &j) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  while ((n = read(p[0], chunk, sizeof chunk)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, chunk, k);
    len += k;
  }
  out[len] = '\0';
  close(p[0]);
  pthread_join(t, &ret);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() stores what 'send_file' returns, the only sign of its failure, in 'ret', which is never read: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; check 'ret' after the join [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: the writer starts here
  // CHECK-MESSAGES: :51:5: note: it returns a status here
  // CHECK-MESSAGES: :[[@LINE-11]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-13]]:10: note: the loop condition is false: leaving the loop
  return (long)len;
}

/* The status through a cast; the pipe and the routine's struct are both
 * members of one struct, and the thread is given only its member. */
struct fetch {
  int pipe[2];
  struct job job;
};

long fetch_result_unread_cast(const char *path, char *out, size_t cap)
{
  struct fetch f;
  pthread_t writer;
  long status = 0;
  ssize_t n;
  size_t len = 0;
  char chunk[4096];

  if (pipe(f.pipe) < 0)
    return -1;
  f.job.fd = f.pipe[1];
  f.job.path = path;
  if (pthread_create(&writer, NULL, send_file, &f.job) != 0) {
    close(f.pipe[0]);
    close(f.pipe[1]);
    return -1;
  }
  while ((n = read(f.pipe[0], chunk, sizeof chunk)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, chunk, k);
    len += k;
  }
  out[len] = '\0';
  close(f.pipe[0]);
  pthread_join(writer, (void **)&status);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() stores what 'send_file' returns, the only sign of its failure, in 'status', which is never read: a writer that fails part-way looks to the reader of 'f.pipe[0]' like one that finished, and the output read is used as if complete; check 'status' after the join [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: the writer starts here
  // CHECK-MESSAGES: :51:5: note: it returns a status here
  // CHECK-MESSAGES: :[[@LINE-11]]:15: note: 'f.pipe[0]' is read to end-of-file here; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-13]]:10: note: the loop condition is false: leaving the loop
  return (long)len;
}

/* ---- near-misses: the status is read ------------------------------------ */

long fetch_result_tested(const char *path, char *out, size_t cap)
{
  int p[2];
  pthread_t t;
  struct job j;
  size_t len;
  void *ret = NULL;

  if (pipe(p) < 0)
    return -1;
  j.fd = p[1];
  j.path = path;
  if (pthread_create(&t, NULL, send_file, &j) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  len = slurp(p[0], out, cap);
  close(p[0]);
  pthread_join(t, &ret);
  if (ret != NULL)
    return -1;
  return (long)len;
}

static long verdict(void *status, size_t len)
{
  return status ? -1 : (long)len;
}

long fetch_result_to_helper(const char *path, char *out, size_t cap)
{
  int p[2];
  pthread_t t;
  struct job j;
  size_t len;
  void *ret = NULL;

  if (pipe(p) < 0)
    return -1;
  j.fd = p[1];
  j.path = path;
  if (pthread_create(&t, NULL, send_file, &j) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  len = slurp(p[0], out, cap);
  close(p[0]);
  pthread_join(t, &ret);
  return verdict(ret, len);
}

/* 0 when the reader said "success" and returned only the header. */
static int accepted_truncated(long n, const char *got)
{
  return !(n >= 0 && strcmp(got, kHeader) == 0);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  const char *missing = "/nonexistent/pipe-tidy-body";
  char out[256];

  if (strcmp(s, "result-unread") == 0)
    return accepted_truncated(fetch_result_unread(missing, out, sizeof out),
                              out);
  if (strcmp(s, "result-unread-cast") == 0)
    return accepted_truncated(
        fetch_result_unread_cast(missing, out, sizeof out), out);
  if (strcmp(s, "result-tested") == 0)
    return fetch_result_tested(missing, out, sizeof out) != -1;
  if (strcmp(s, "result-to-helper") == 0)
    return fetch_result_to_helper(missing, out, sizeof out) != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

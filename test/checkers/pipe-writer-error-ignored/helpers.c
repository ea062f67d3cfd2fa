// pipe-writer-error-ignored (issue 17): the writer's failure is only in
// what it returns or in its exit status, and the reader throws that away.
//
//  - a pthread start routine that returns a status ((void *)1 when it
//    cannot open its input), joined with pthread_join(t, NULL);
//  - a fork()ed child whose failure exit (_exit(2)) happens inside helpers
//    it calls (fatal() -> die() -> _exit(2), depth 2), waited for with
//    waitpid(pid, NULL, 0).
//
// Each writer writes a header and then fails; the scenario exits 0 only
// when the reader reported success and returned just the header: the
// truncation went unnoticed. The near-misses read the status and report
// the failure (their scenarios exit 0 when they do), and are silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s thread-status-discarded exit
// RUN: %run_example %s child-exit-in-helper exit
// RUN: %run_example %s thread-status-read exit
// RUN: %run_example %s child-status-read exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
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

static void die(const char *what)
{
  perror(what);
  _exit(2);
}

static void fatal(const char *what)
{
  die(what);
}

/* ---- findings ----------------------------------------------------------- */

long fetch_thread(const char *path, char *out, size_t cap)
{
  int p[2];
  pthread_t t;
  struct job j;
  size_t len = 0;
  ssize_t n;
  char chunk[4096];

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
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() discards what 'send_file' returns, the only sign of its failure: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; pass a pointer to pthread_join() and check the status it returns [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :90:7: note: the writer starts here
  // CHECK-MESSAGES: :55:5: note: it returns a status here
  // CHECK-MESSAGES: :95:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :86:7: note: pipe created here
  // CHECK-MESSAGES: :95:10: note: the loop condition is false: leaving the loop
  return (long)len;
}

long fetch_child(const char *path, char *out, size_t cap)
{
  int p[2];
  size_t len = 0;
  ssize_t n;
  char chunk[4096];
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
    char buf[4096];
    int in;
    close(p[0]);
    write_all(p[1], kHeader, sizeof kHeader - 1);
    in = open(path, O_RDONLY);
    if (in < 0)
      fatal("open");
    while ((n = read(in, buf, sizeof buf)) > 0)
      write_all(p[1], buf, (size_t)n);
    _exit(0);
  }
  close(p[1]);
  while ((n = read(p[0], chunk, sizeof chunk)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, chunk, k);
    len += k;
  }
  out[len] = '\0';
  close(p[0]);
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() discards the exit status of {{.*}}, which writes the pipe read from 'p[0]'{{.*}}[pipe-writer-error-ignored]
  // CHECK-MESSAGES: :122:9: note: {{.*}} starts here
  // CHECK-MESSAGES: :141:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :120:7: note: pipe created here
  // CHECK-MESSAGES: :141:10: note: the loop condition is false: leaving the loop
  return (long)len;
}

/* ---- near-misses: the status is read ------------------------------------ */

long fetch_thread_checked(const char *path, char *out, size_t cap)
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
  return ret != NULL ? -1 : (long)len;
}

long fetch_child_checked(const char *path, char *out, size_t cap)
{
  int p[2], status = 0;
  size_t len = 0;
  ssize_t n;
  char chunk[4096];
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
    char buf[4096];
    int in;
    close(p[0]);
    write_all(p[1], kHeader, sizeof kHeader - 1);
    in = open(path, O_RDONLY);
    if (in < 0)
      die("open");
    while ((n = read(in, buf, sizeof buf)) > 0)
      write_all(p[1], buf, (size_t)n);
    _exit(0);
  }
  close(p[1]);
  while ((n = read(p[0], chunk, sizeof chunk)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, chunk, k);
    len += k;
  }
  out[len] = '\0';
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return (long)len;
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

  if (strcmp(s, "thread-status-discarded") == 0)
    return accepted_truncated(fetch_thread(missing, out, sizeof out), out);
  if (strcmp(s, "child-exit-in-helper") == 0)
    return accepted_truncated(fetch_child(missing, out, sizeof out), out);
  if (strcmp(s, "thread-status-read") == 0)
    return fetch_thread_checked(missing, out, sizeof out) != -1;
  if (strcmp(s, "child-status-read") == 0)
    return fetch_child_checked(missing, out, sizeof out) != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-leaked-writer through a program's own thread functions:
// `start_thread(&t, fn, arg)` (pthread_create() that reports failure),
// `spawn_thread(fn, arg)` (returns the handle, aborts on failure),
// `start_named(&t, name, fn, arg)` (a wrapper of start_thread: depth 2) and
// `join_thread(t)` (pthread_join() that aborts on failure). Seen two ways,
// with the same findings: their bodies in this file (recognised as thin
// wrappers), or only their declarations (-DWRAPPERS_ELSEWHERE, as when they
// live in another file) with ThreadStartFunctions and WaitFunctions naming
// them.
//
// The writer threads write far more than a pipe holds (64 KiB). The reader
// gives up after the first bytes: joining the writer before closing the
// read end hangs, and leaving without joining leaves the writer blocked for
// good (main then leaves with pthread_exit(), which waits for the other
// threads, so the scenario hangs). The "-ok" scenarios take the readers'
// normal paths, and the near-miss closes the read end before it joins.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -config="{CheckOptions: [{key: ThreadStartFunctions, value: 'start_thread;spawn_thread;start_named:2:3'}, {key: WaitFunctions, value: 'join_thread'}]}" -- -I%S -DWRAPPERS_ELSEWHERE
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-leaked-writer' %s -- -I%S -DWRAPPERS_ELSEWHERE 2>&1 | FileCheck --allow-empty --check-prefix=UNSEEN %s
// UNSEEN-NOT: warning:
//
// RUN: %run_example %s never-joined hang
// RUN: %run_example %s never-joined-ok exit
// RUN: %run_example %s joined-first hang
// RUN: %run_example %s joined-first-ok exit
// RUN: %run_example %s named-joined-first hang
// RUN: %run_example %s named-joined-first-ok exit
// RUN: %run_example %s close-then-join exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- the program's own thread functions ---------------------------------- */

#ifdef WRAPPERS_ELSEWHERE
int start_thread(pthread_t *t, void *(*fn)(void *), void *arg);
pthread_t spawn_thread(void *(*fn)(void *), void *arg);
int start_named(pthread_t *t, const char *name, void *(*fn)(void *),
                void *arg);
void join_thread(pthread_t t);
#else
/* pthread_create() with default attributes; 0 or an error number. */
int start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
  int err = pthread_create(t, NULL, fn, arg);

  if (err != 0)
    fprintf(stderr, "pthread_create: %s\n", strerror(err));
  return err;
}

/* Starts a thread or aborts; returns its handle. */
pthread_t spawn_thread(void *(*fn)(void *), void *arg)
{
  pthread_t t;

  if (pthread_create(&t, NULL, fn, arg) != 0)
    abort();
  return t;
}

/* start_thread(), saying which thread it starts. */
int start_named(pthread_t *t, const char *name, void *(*fn)(void *),
                void *arg)
{
  fprintf(stderr, "starting %s\n", name);
  return start_thread(t, fn, arg);
}

/* Joins a thread or aborts. */
void join_thread(pthread_t t)
{
  if (pthread_join(t, NULL) != 0)
    abort();
}
#endif

/* Writes a 1 MiB report, its first line naming its format, to the
 * descriptor it is given as its argument. */
static void *spool(void *arg)
{
  int out = (int)(intptr_t)arg;

  if (dprintf(out, "format=csv\n") > 0)
    write_filled(out, 'x', 'x', MIB);
  close(out);
  return NULL;
}

/* ---- never joined on the early return: leak ------------------------------ */

long read_report(const char *want)
{
  int fds[2];
  pthread_t t;
  char first[16];
  size_t len = strlen(want);
  long n;

  if (len > sizeof first || pipe(fds) < 0)
    return -1;
  if (start_thread(&t, spool, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, want, len) != 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 't' running 'spool' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 't' running 'spool' starts here; it writes up to 1048587 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-11]]:29: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  n = drain(fds[0]);
  close(fds[0]);
  join_thread(t);
  return n;
}

/* ---- joined before the read end is closed: hang -------------------------- */

long read_report_joined(const char *want)
{
  int fds[2];
  char first[16];
  size_t len = strlen(want);
  long n;

  if (len > sizeof first || pipe(fds) < 0)
    return -1;
  pthread_t t = spawn_thread(spool, (void *)(intptr_t)fds[1]);
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, want, len) != 0) {
    join_thread(t);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 't' running 'spool' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: thread 't' running 'spool' starts here; it writes up to 1048587 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:29: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  join_thread(t);
  return n;
}

/* The same through the depth-2 start function. */
long read_named_report(const char *want)
{
  int fds[2];
  pthread_t t;
  char first[16];
  size_t len = strlen(want);
  long n;

  if (len > sizeof first || pipe(fds) < 0)
    return -1;
  if (start_named(&t, "spooler", spool, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, want, len) != 0) {
    join_thread(t);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 't' running 'spool' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 't' running 'spool' starts here; it writes up to 1048587 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-11]]:29: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  join_thread(t);
  return n;
}

/* ---- the read end closed first, then joined: near-miss ------------------- */

long read_named_report_ok(const char *want)
{
  int fds[2];
  pthread_t t;
  char first[16];
  size_t len = strlen(want);
  long n;

  if (len > sizeof first || pipe(fds) < 0)
    return -1;
  if (start_named(&t, "spooler", spool, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, want, len) != 0) {
    close(fds[0]);
    join_thread(t);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  join_thread(t);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  const char *csv = "format=csv\n", *json = "format=json\n";

  /* A write to a pipe whose read end is closed fails with EPIPE instead of
   * killing the process, as in any program that pipes between threads. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "never-joined") == 0) {
    if (read_report(json) != -1)
      return 1;
    /* Leave main, letting the other threads finish: never, if one is
     * blocked for good. */
    pthread_exit(NULL);
  }
  if (strcmp(s, "never-joined-ok") == 0) {
    if (read_report(csv) != MIB)
      return 1;
    pthread_exit(NULL);
  }
  if (strcmp(s, "joined-first") == 0)
    return read_report_joined(json) != -1;
  if (strcmp(s, "joined-first-ok") == 0)
    return read_report_joined(csv) != MIB;
  if (strcmp(s, "named-joined-first") == 0)
    return read_named_report(json) != -1;
  if (strcmp(s, "named-joined-first-ok") == 0)
    return read_named_report(csv) != MIB;
  if (strcmp(s, "close-then-join") == 0)
    return read_named_report_ok(json) != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// The check's own option PipeCapacity, and the shared model options that
// decide what it sees: a program's own pipe wrapper (PipeCreateFunctions),
// read and write wrappers (ReadFunctions, WriteFunctions) and a fatal-error
// helper (NoReturnFunctions). Then bad values and an unknown key.
//
// make_small_pipe() makes pipes that hold one 4 KiB page. With the default
// PipeCapacity (65536) the 8 KiB write into such a pipe is not reported; told
// that pipes hold 4096 bytes (SMALL), the check reports it, whether the key
// is check-local or global (a local key wins). Without the model
// options (NOMODEL) die() is still known not to return (its body, in this
// file, ends in abort() and has no return), and an end passed to a wrapper
// counts as handed off unless the wrapper's body, in this file, shows that it
// only reads or writes it (write_all() does).
//
// RUN: %check_pipe_tidy -check-suffix=DEFAULT %s pipe-self-deadlock %t -- -config="{CheckOptions: [{key: PipeCreateFunctions, value: 'make_small_pipe'}, {key: ReadFunctions, value: 'read_full'}, {key: WriteFunctions, value: 'write_all'}, {key: NoReturnFunctions, value: 'die'}]}"
// RUN: %check_pipe_tidy -check-suffixes=DEFAULT,SMALL %s pipe-self-deadlock %t -- -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: '4096'}, {key: PipeCreateFunctions, value: 'make_small_pipe'}, {key: ReadFunctions, value: 'read_full'}, {key: WriteFunctions, value: 'write_all'}, {key: NoReturnFunctions, value: 'die'}]}"
// RUN: %check_pipe_tidy -check-suffixes=DEFAULT,SMALL %s pipe-self-deadlock %t -- -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: '4096'}, {key: pipe-self-deadlock.PipeCreateFunctions, value: 'make_small_pipe'}, {key: pipe-self-deadlock.ReadFunctions, value: 'read_full'}, {key: pipe-self-deadlock.WriteFunctions, value: 'write_all'}, {key: pipe-self-deadlock.NoReturnFunctions, value: 'die'}]}"
// RUN: %check_pipe_tidy -check-suffixes=DEFAULT,SMALL %s pipe-self-deadlock %t -- -config="{CheckOptions: [{key: PipeCapacity, value: '4096'}, {key: PipeCreateFunctions, value: 'make_small_pipe'}, {key: ReadFunctions, value: 'read_full'}, {key: WriteFunctions, value: 'write_all'}, {key: NoReturnFunctions, value: 'die'}]}"
// RUN: %check_pipe_tidy -check-suffix=NOMODEL %s pipe-self-deadlock %t
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-self-deadlock' -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: '0'}]}" %s -- 2>&1 | FileCheck --check-prefix=BADCAP %s
// BADCAP: error: invalid value '0' for option 'pipe-self-deadlock.PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-self-deadlock' -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: 'lots'}]}" %s -- 2>&1 | FileCheck --check-prefix=NOTNUM %s
// NOTNUM: error: invalid value 'lots' for option 'pipe-self-deadlock.PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-self-deadlock' -config="{CheckOptions: [{key: pipe-self-deadlock.PipeSize, value: '4096'}]}" %s -- 2>&1 | FileCheck --check-prefix=UNKNOWN %s
// UNKNOWN: warning: unknown option 'pipe-self-deadlock.PipeSize'; pipe-self-deadlock understands: AnalysisBudget, BorrowFunctions, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCapacity, PipeCreateFunctions, ReadFunctions, ReportOnErrors, SpawnFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions
//
// RUN: %run_example %s small-pipe hang
// RUN: %run_example %s small-pipe-ok exit
// RUN: %run_example %s read-wrapper hang
// RUN: %run_example %s read-wrapper-ok exit
// RUN: %run_example %s write-wrapper hang
// RUN: %run_example %s die abort
// RUN: %run_example %s die-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes a pipe that holds one page (4096 bytes), so that a slow reader
 * pushes back on its writer early. Returns 0 or -1 like pipe(). */
int make_small_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[1], F_SETPIPE_SZ, 4096) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

/* Reads exactly len bytes unless end-of-file or an error comes first;
 * returns how many bytes it read, or -1. */
ssize_t read_full(int fd, void *buf, size_t len)
{
  size_t got = 0;

  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

/* Writes all of buf to fd; returns 0, or -1 on error. */
int write_all(int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reports a fatal error and ends the program. Not declared noreturn. */
void die(const char *msg)
{
  fprintf(stderr, "fatal: %s\n", msg);
  abort();
}

/* ---- PipeCapacity ------------------------------------------------------- */

struct frame_header {
  unsigned kind;
  unsigned length;
};

/* Queues a frame in a small pipe and reads its header back. */
int frame_kind(const char *body, size_t body_len)
{
  static char frame[8192];
  struct frame_header hdr = {7, 0};
  int fds[2];

  if (body_len > sizeof frame - sizeof hdr)
    return -1;
  if (make_small_pipe(fds) < 0)
    return -1;
  hdr.length = (unsigned)body_len;
  memcpy(frame, &hdr, sizeof hdr);
  memcpy(frame + sizeof hdr, body, body_len);
  write(fds[1], frame, sizeof frame);
  // CHECK-MESSAGES-SMALL: :[[@LINE-1]]:3: warning: writing 8192 bytes to 'fds[1]' fills the pipe (it holds 4096 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES-SMALL: :[[@LINE+2]]:3: note: this thread reads the pipe back here
  // CHECK-MESSAGES-SMALL: :[[@LINE-8]]:7: note: pipe created here
  read(fds[0], &hdr, sizeof hdr);
  close(fds[0]);
  close(fds[1]);
  return (int)hdr.kind;
}

/* The same with a frame that fits in the small pipe. */
int small_frame_kind(const char *body, size_t body_len)
{
  static char frame[4000];
  struct frame_header hdr = {7, 0};
  int fds[2];

  if (body_len > sizeof frame - sizeof hdr)
    return -1;
  if (make_small_pipe(fds) < 0)
    return -1;
  hdr.length = (unsigned)body_len;
  memcpy(frame, &hdr, sizeof hdr);
  memcpy(frame + sizeof hdr, body, body_len);
  write(fds[1], frame, sizeof frame);
  read(fds[0], &hdr, sizeof hdr);
  close(fds[0]);
  close(fds[1]);
  return (int)hdr.kind;
}

/* ---- ReadFunctions, WriteFunctions -------------------------------------- */

static void *answer_worker(void *arg)
{
  int fd = *(int *)arg;
  int answer = 42;

  write_all(fd, &answer, sizeof answer);
  return NULL;
}

/* Gets the answer from a worker thread, when there is one: without it,
 * read_full() waits for a writer that does not exist. */
int get_answer(int threaded)
{
  int fds[2];
  int answer = -1;
  pthread_t tid;

  if (pipe(fds) < 0)
    return -1;
  if (threaded && pthread_create(&tid, NULL, answer_worker, &fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &answer, sizeof answer) != sizeof answer)
    answer = -1;
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-10]]:7: note: pipe created here
  if (threaded)
    pthread_join(tid, NULL);
  close(fds[0]);
  close(fds[1]);
  return answer;
}

/* Passes the text through a pipe with write_all() and reads it back until
 * end-of-file, which never comes while fds[1] is open. */
ssize_t echo_text(const char *text, char *out, size_t size)
{
  int fds[2];
  ssize_t n, total = 0;

  if (pipe(fds) < 0)
    return -1;
  if (write_all(fds[1], text, strlen(text)) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  while ((n = read(fds[0], out + total, size - total)) > 0)
    total += n;
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-2]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-10]]:7: note: pipe created here
  // Without the model, write_all()'s body (above) shows that it only writes
  // the end it is given: the end stays this function's, and the finding is
  // the same.
  // CHECK-MESSAGES-NOMODEL: :[[@LINE-7]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES-NOMODEL: :[[@LINE-15]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  return total;
}

/* ---- NoReturnFunctions -------------------------------------------------- */

/* Like get_answer(), but running without a worker is a fatal error. */
int get_answer_or_die(int threaded)
{
  int fds[2];
  int answer = -1;
  pthread_t tid;

  if (pipe(fds) < 0)
    return -1;
  if (threaded) {
    if (pthread_create(&tid, NULL, answer_worker, &fds[1]) != 0)
      die("pthread_create");
  } else {
    die("no worker thread to compute the answer");
  }
  read(fds[0], &answer, sizeof answer);
  if (threaded)
    pthread_join(tid, NULL);
  close(fds[0]);
  close(fds[1]);
  return answer;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char buf[256];

  if (strcmp(s, "small-pipe") == 0)
    return frame_kind("hello", 5) != 7;
  if (strcmp(s, "small-pipe-ok") == 0)
    return small_frame_kind("hello", 5) != 7;
  if (strcmp(s, "read-wrapper") == 0)
    return get_answer(0) != 42;
  if (strcmp(s, "read-wrapper-ok") == 0)
    return get_answer(1) != 42;
  if (strcmp(s, "write-wrapper") == 0)
    return echo_text("hello\n", buf, sizeof buf) != 6;
  if (strcmp(s, "die") == 0)
    return get_answer_or_die(0) != 42;
  if (strcmp(s, "die-ok") == 0)
    return get_answer_or_die(1) != 42;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-leaked-writer with the writer thread given its record through the
// start routine's `void *` (`pthread_create(&s.worker, 0, produce, &s)`),
// and the reader's own read end kept in the same record. The routine reads
// the record as a struct (`struct stream *st = arg;` or a cast) and writes
// and closes only its write end: the read end in the record is still the
// reader's, so joining the writer before closing it (directly, or through
// a helper two calls deep) hangs, and leaving without a join leaves the
// writer blocked forever. The "-ok" scenarios take the normal path of the
// same functions and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s array-member-join-in-helper hang
// RUN: %run_example %s array-member-join-in-helper-ok exit
// RUN: %run_example %s cast-routine-never-joined hang
// RUN: %run_example %s cast-routine-never-joined-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- a record with the pipe as an int[2] member, joined by a helper ----- */

struct stream {
  size_t len;
  int fds[2];     /* fds[0]: the reader's; fds[1]: the writer thread's */
  pthread_t worker;
};

static void *produce(void *arg)
{
  struct stream *st = arg;

  write_filled(st->fds[1], 'S', 's', st->len);
  close(st->fds[1]);
  return NULL;
}

static void stop_worker(struct stream *st)
{
  pthread_join(st->worker, NULL);
}

static void stream_finish(struct stream *st)
{
  stop_worker(st);
}

/* The size of the stream after its 'S' header byte, or -1. */
long stream_size(char header)
{
  struct stream st;
  char first;
  long n;

  st.len = MIB;
  if (pipe(st.fds) < 0)
    return -1;
  if (pthread_create(&st.worker, NULL, produce, &st) != 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  if (read_full(st.fds[0], &first, 1) != 1 || first != header) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'st.worker' running 'produce' is joined here while the read end 'st.fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'st.fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'st.worker' running 'produce' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    stream_finish(&st);
    close(st.fds[0]);
    return -1;
  }
  n = drain(st.fds[0]);
  close(st.fds[0]);
  stream_finish(&st);
  return n;
}

/* ---- a routine that casts, a record with separate ends, no join -------- */

struct upload {
  int rd;
  int wr;
  pthread_t tid;
  unsigned blocks;
};

/* Takes what it needs from the record before its first write: the record
 * is the reader's, which may have returned by the time the writer blocks. */
static void *send_blocks(void *p)
{
  int wr = ((struct upload *)p)->wr;
  unsigned blocks = ((struct upload *)p)->blocks;
  char block[4096];
  unsigned i;

  memset(block, 'u', sizeof block);
  for (i = 0; i < blocks; i++)
    if (write(wr, block, sizeof block) < 0)
      break;
  close(wr);
  return NULL;
}

/* Counts the bytes of an upload if its first byte is 'header'; -1
 * otherwise. */
long upload_size(unsigned blocks, char header)
{
  struct upload up;
  int fds[2];
  char first;
  long n;

  if (pipe(fds) < 0)
    return -1;
  up.rd = fds[0];
  up.wr = fds[1];
  up.blocks = blocks;
  if (pthread_create(&up.tid, NULL, send_blocks, &up) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(up.rd, &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'up.tid' running 'send_blocks' is never joined on this path, and the read end 'up.rd' stays open and unread: the writer stays blocked on the full pipe forever; close 'up.rd' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'up.tid' running 'send_blocks' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  n = 1 + drain(up.rd);
  close(up.rd);
  pthread_join(up.tid, NULL);
  return n;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  /* A write to a pipe whose read end is closed fails with EPIPE. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "array-member-join-in-helper") == 0)
    return stream_size('X') != -1;
  if (strcmp(s, "array-member-join-in-helper-ok") == 0)
    return stream_size('S') != MIB - 1;
  if (strcmp(s, "cast-routine-never-joined") == 0) {
    if (upload_size(256, 'x') != -1)
      return 1;
    /* Let the other threads run to completion: never, if one is blocked. */
    pthread_exit(NULL);
  }
  if (strcmp(s, "cast-routine-never-joined-ok") == 0)
    return upload_size(4, 'u') != 4 * 4096;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

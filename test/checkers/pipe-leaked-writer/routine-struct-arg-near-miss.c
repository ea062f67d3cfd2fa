// Near-misses of routine-struct-arg.c: the writer thread gets its record
// through the start routine's `void *`, and on the early path the read end
// kept in the record is closed before the join (directly, or by the
// helper that joins); or the routine gives the record to a function this
// file cannot see, or reads the read end itself, so that the read end is
// not the caller's alone any more. pipe-leaked-writer must not report
// anything here. Every scenario takes the early path and exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s close-then-join exit
// RUN: %run_example %s helper-closes-then-joins exit
// RUN: %run_example %s routine-gives-record-away exit
// RUN: %run_example %s routine-reads-read-end exit

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

struct stream {
  size_t len;
  int fds[2];
  pthread_t worker;
};

static void *produce(void *arg)
{
  struct stream *st = arg;

  write_filled(st->fds[1], 'S', 's', st->len);
  close(st->fds[1]);
  return NULL;
}

/* The read end closed first: the writer fails with EPIPE, the join returns. */
long close_then_join(char header)
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
    close(st.fds[0]);
    pthread_join(st.worker, NULL);
    return -1;
  }
  n = drain(st.fds[0]);
  close(st.fds[0]);
  pthread_join(st.worker, NULL);
  return n;
}

/* The helper that ends the stream closes the read end, then joins. */
static void stream_close(struct stream *st)
{
  close(st->fds[0]);
  pthread_join(st->worker, NULL);
}

static void stream_end(struct stream *st)
{
  stream_close(st);
}

long helper_closes_then_joins(char header)
{
  struct stream st;
  char first;

  st.len = MIB;
  if (pipe(st.fds) < 0)
    return -1;
  if (pthread_create(&st.worker, NULL, produce, &st) != 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  if (read_full(st.fds[0], &first, 1) != 1 || first != header) {
    stream_end(&st);
    return -1;
  }
  stream_end(&st);
  return 1;
}

/* The routine registers the record with code this file cannot see, which
 * may close the read end: whoever has it may. */
extern void register_stream(struct stream *st);
void register_stream(struct stream *st)
{
  /* in another file, in a real program: here it closes the read end */
  close(st->fds[0]);
}
static void (*volatile registrar)(struct stream *) = register_stream;

static void *produce_registered(void *arg)
{
  struct stream *st = arg;

  registrar(st);
  write_filled(st->fds[1], 'S', 's', st->len);
  close(st->fds[1]);
  return NULL;
}

long routine_gives_record_away(char header)
{
  struct stream st;
  char first;

  st.len = MIB;
  if (pipe(st.fds) < 0)
    return -1;
  if (pthread_create(&st.worker, NULL, produce_registered, &st) != 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  if (read_full(st.fds[0], &first, 1) != 1 || first != header) {
    pthread_join(st.worker, NULL);
    return -1;
  }
  pthread_join(st.worker, NULL);
  return 1;
}

/* The routine reads the read end itself (a thread that checks its own
 * output back): it drains the pipe, so the writer finishes. */
static void *produce_and_drain(void *arg)
{
  struct stream *st = arg;

  write_filled(st->fds[1], 'S', 's', 4096);
  close(st->fds[1]);
  drain(st->fds[0]);
  return NULL;
}

long routine_reads_read_end(void)
{
  struct stream st;

  st.len = MIB;
  if (pipe(st.fds) < 0)
    return -1;
  if (pthread_create(&st.worker, NULL, produce_and_drain, &st) != 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  pthread_join(st.worker, NULL);
  close(st.fds[0]);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "close-then-join") == 0)
    return close_then_join('X') != -1;
  if (strcmp(s, "helper-closes-then-joins") == 0)
    return helper_closes_then_joins('X') != -1;
  if (strcmp(s, "routine-gives-record-away") == 0)
    return routine_gives_record_away('X') != -1;
  if (strcmp(s, "routine-reads-read-end") == 0)
    return routine_reads_read_end() != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

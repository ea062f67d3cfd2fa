// Near-misses of helper-started-threads.c: a start helper makes the pipe,
// starts the writer thread with the write end and leaves the caller the
// read end and the handle; here the stop helper closes the read end before
// it joins (the writer's next write fails with EPIPE), the writer writes a
// few bytes only (they fit in the pipe, so the join returns: also when it
// is the routine the caller gives the helper), the routine comes from a
// table indexed at run time (unknown: silent), or the
// caller reads the stream to end-of-file, which the thread's close ends.
// pipe-leaked-writer (and pipe-self-deadlock for the read to end-of-file:
// the write end is the thread's, not the reader's) must stay silent, and
// every scenario takes the early path and exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer,pipe-self-deadlock %t
// RUN: %run_example %s stop-closes-first exit
// RUN: %run_example %s few-bytes-join-first exit
// RUN: %run_example %s read-to-eof exit
// RUN: %run_example %s routine-from-table exit
// RUN: %run_example %s routine-given-small exit

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MIB (1 << 20)

struct pump {
  pthread_t tid;
  int rfd;
  int wfd;
};

static void *pump_main(void *arg)
{
  struct pump *p = arg;
  char block[4096];

  memset(block, 'x', sizeof block);
  for (int i = 0; i < MIB / 4096; i++)
    if (write(p->wfd, block, sizeof block) < 0)
      break;
  close(p->wfd);
  return NULL;
}

static int pump_start(struct pump *p)
{
  int fds[2];

  if (pipe(fds) != 0)
    return -1;
  p->rfd = fds[0];
  p->wfd = fds[1];
  if (pthread_create(&p->tid, NULL, pump_main, p) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

static int pump_open(struct pump *p)
{
  if (pump_start(p) < 0)
    return -1;
  return 0;
}

/* Closes the read end first: the writer fails with EPIPE and returns. */
static void pump_stop(struct pump *p)
{
  close(p->rfd);
  pthread_join(p->tid, NULL);
}

static void pump_finish(struct pump *p)
{
  pump_stop(p);
}

static int header_ok(int fd, char want)
{
  char hdr[4];

  return read(fd, hdr, sizeof hdr) == sizeof hdr && hdr[0] == want;
}

int stop_closes_first(void)
{
  struct pump p;

  if (pump_open(&p) < 0)
    return -1;
  if (!header_ok(p.rfd, 'Z')) {
    pump_finish(&p);
    return -1;
  }
  pump_stop(&p);
  return 0;
}

/* A writer of 5 bytes, given its write end through its argument. */
static void *note_main(void *arg)
{
  int fd = (int)(intptr_t)arg;

  write(fd, "note\n", 5);
  close(fd);
  return NULL;
}

static int start_note(pthread_t *tid, int *rd)
{
  int fds[2];

  if (pipe(fds) != 0)
    return -1;
  if (pthread_create(tid, NULL, note_main, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  *rd = fds[0];
  return 0;
}

/* Joins before closing: the 5 bytes fit in the pipe, the join returns. */
int few_bytes_join_first(void)
{
  pthread_t tid;
  int rd;

  if (start_note(&tid, &rd) < 0)
    return -1;
  if (!header_ok(rd, 'Z')) {
    pthread_join(tid, NULL);
    close(rd);
    return -1;
  }
  pthread_join(tid, NULL);
  close(rd);
  return 0;
}

/* Reads to end-of-file: the thread closes its write end when done. */
long read_to_eof(void)
{
  struct pump p;
  char buf[4096];
  long total = 0;
  ssize_t n;

  if (pump_start(&p) < 0)
    return -1;
  while ((n = read(p.rfd, buf, sizeof buf)) > 0)
    total += n;
  pump_stop(&p);
  return total;
}

/* A helper that starts the routine it is given. */
static int start_with(struct pump *p, void *(*routine)(void *))
{
  int fds[2];

  if (pipe(fds) != 0)
    return -1;
  p->rfd = fds[0];
  p->wfd = fds[1];
  if (pthread_create(&p->tid, NULL, routine, p) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

/* A routine that writes 5 bytes, from a table indexed at run time: the
   check does not know which routine runs, and stays silent. */
static void *small_main(void *arg)
{
  struct pump *p = arg;

  write(p->wfd, "note\n", 5);
  close(p->wfd);
  return NULL;
}

static void *(*const routines[])(void *) = {small_main, small_main};

int routine_from_table(int which)
{
  struct pump p;

  if (start_with(&p, routines[which]) < 0)
    return -1;
  if (!header_ok(p.rfd, 'Z')) {
    pthread_join(p.tid, NULL);
    close(p.rfd);
    return -1;
  }
  close(p.rfd);
  pthread_join(p.tid, NULL);
  return 0;
}

/* The routine given is known and writes 5 bytes: the join returns. */
int routine_given_small(void)
{
  struct pump p;

  if (start_with(&p, small_main) < 0)
    return -1;
  if (!header_ok(p.rfd, 'Z')) {
    pthread_join(p.tid, NULL);
    close(p.rfd);
    return -1;
  }
  close(p.rfd);
  pthread_join(p.tid, NULL);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "stop-closes-first") == 0)
    return stop_closes_first() != -1;
  if (strcmp(s, "few-bytes-join-first") == 0)
    return few_bytes_join_first() != -1;
  if (strcmp(s, "routine-from-table") == 0)
    return routine_from_table(argc - 2) != -1;
  if (strcmp(s, "routine-given-small") == 0)
    return routine_given_small() != -1;
  if (strcmp(s, "read-to-eof") == 0)
    return read_to_eof() != MIB;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

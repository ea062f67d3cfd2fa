// pipe-leaked-writer when a start helper makes the pipe, starts the writer
// thread and gives it the write end, and leaves the caller the read end and
// the thread's handle: in a record (`pump_start(&p)`: `p->tid`, `p->rfd`,
// the routine given `p` and writing `p->wfd`), one and three calls deep, or
// in out-parameters (`spawn_writer(&tid, &rd)`: the routine given the
// write end itself through its `void *`), and with the routine a function
// the caller gives the helper (`start_with(&p, pump_main)`, the helper
// passing its parameter to pthread_create()). The thread writes 1 MiB and then
// closes its end; the caller reads a 4-byte header and gives up: a join
// before the read end is closed (in a stop helper, two calls deep) waits
// for a writer blocked on the full pipe (64 KiB) forever, and a writer never
// joined stays blocked forever. The "-ok" scenarios take the normal path of
// the same functions and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s record-stop-joins-first hang
// RUN: %run_example %s record-stop-joins-first-ok exit
// RUN: %run_example %s deep-start-deep-stop hang
// RUN: %run_example %s routine-given-join-first hang
// RUN: %run_example %s out-params-never-joined hang
// RUN: %run_example %s out-params-never-joined-ok exit

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

/* Writes 1 MiB of 'x' (the first byte the caller's) to fd. */
static void write_mib(int fd, char first)
{
  char block[4096];

  memset(block, 'x', sizeof block);
  block[0] = first;
  for (int i = 0; i < MIB / 4096; i++) {
    if (write(fd, block, sizeof block) < 0)
      break;
    block[0] = 'x';
  }
}

static void *pump_main(void *arg)
{
  struct pump *p = arg;

  write_mib(p->wfd, 'P');
  close(p->wfd);
  return NULL;
}

/* Makes the pipe and starts the writer; 0, or -1 with nothing started. */
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

/* The same start, two and three calls deep. */
static int pump_open(struct pump *p)
{
  if (pump_start(p) < 0)
    return -1;
  return 0;
}

static int pump_open_logged(struct pump *p)
{
  if (pump_open(p) != 0) {
    fprintf(stderr, "cannot start the pump\n");
    return -1;
  }
  return 0;
}

/* Joins the writer, and only then closes the read end. */
static void pump_stop(struct pump *p)
{
  pthread_join(p->tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pump_stop' joins thread 'p.tid' running 'pump_main' here, before it closes the read end 'p->rfd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'pump_stop' never returns; close 'p->rfd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: 'p->rfd' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+24]]:7: note: thread 'p.tid' running 'pump_main' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+23]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+25]]:5: note: 'pump_stop' is called here while thread 'p.tid' running 'pump_main' may still be writing and 'p.rfd' is no longer read, though not at end-of-file
  // CHECK-MESSAGES: :[[@LINE+23]]:7: note: taking the true branch
  close(p->rfd);
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

/* 0 when the stream starts with want; -1 when not. */
int record_stop_joins_first(char want)
{
  struct pump p;

  if (pump_start(&p) < 0)
    return -1;
  if (!header_ok(p.rfd, want)) {
    pump_stop(&p);
    return -1;
  }
  /* The normal path reads everything before it stops. */
  char buf[4096];
  while (read(p.rfd, buf, sizeof buf) > 0)
    ;
  pump_stop(&p);
  return 0;
}

int deep_start_deep_stop(void)
{
  struct pump p;

  if (pump_open_logged(&p) < 0)
    return -1;
  if (!header_ok(p.rfd, 'Z')) {
    pump_finish(&p);
    return -1;
  }
  close(p.rfd);
  pthread_join(p.tid, NULL);
  return 0;
}

/* The write end given to the routine as its argument. */
static void *writer_main(void *arg)
{
  int fd = (int)(intptr_t)arg;

  write_mib(fd, 'W');
  close(fd);
  return NULL;
}

/* Starts a writer; its handle in *tid, the read end in *rd; 0 or -1. */
static int spawn_writer(pthread_t *tid, int *rd)
{
  int fds[2];

  if (pipe(fds) != 0)
    return -1;
  if (pthread_create(tid, NULL, writer_main, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  *rd = fds[0];
  return 0;
}

/* The first byte of the stream when it is want, else -1. */
int out_params_never_joined(char want)
{
  pthread_t tid;
  int rd;

  if (spawn_writer(&tid, &rd) < 0)
    return -1;
  if (!header_ok(rd, want))
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 'tid' running 'writer_main' is never joined on this path, and the read end 'rd' stays open and unread: the writer stays blocked on the full pipe forever; close 'rd' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: thread 'tid' running 'writer_main' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  close(rd);
  pthread_join(tid, NULL);
  return want;
}

/* The routine given by the caller: a function of this file, started by a
   helper that passes its parameter to pthread_create(). */
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

int routine_given_join_first(void)
{
  struct pump p;

  if (start_with(&p, pump_main) < 0)
    return -1;
  if (!header_ok(p.rfd, 'Z')) {
    pthread_join(p.tid, NULL);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 'p.tid' running 'pump_main' is joined here while the read end 'p.rfd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p.rfd' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: thread 'p.tid' running 'pump_main' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
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

  /* A write to a pipe whose read end is closed fails with EPIPE. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "record-stop-joins-first") == 0)
    return record_stop_joins_first('Q') != -1;
  if (strcmp(s, "record-stop-joins-first-ok") == 0)
    return record_stop_joins_first('P') != 0;
  if (strcmp(s, "deep-start-deep-stop") == 0)
    return deep_start_deep_stop() != -1;
  if (strcmp(s, "routine-given-join-first") == 0)
    return routine_given_join_first() != -1;
  if (strcmp(s, "out-params-never-joined") == 0) {
    if (out_params_never_joined('Q') != -1)
      return 1;
    /* Let the other threads run to completion: never, if one is blocked. */
    pthread_exit(NULL);
  }
  if (strcmp(s, "out-params-never-joined-ok") == 0)
    return out_params_never_joined('W') != 'W';
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-self-deadlock in a helper that joins its caller's reader thread and
// closes the write end the reader waits on only after that: the struct's
// reader routine reads `s->rd` until end-of-file, `sink_stop()` joins it
// first (`pthread_join(s->tid, 0); close(s->wr);`), so end-of-file never
// comes. The pipe and the thread are made by a start helper into the
// caller's struct; the misordered helper may be called directly or through
// another helper. The warning is in the helper, where the order is fixed.
// The near misses close first, or stop a thread that reads nothing.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s nested hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s counter exit

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
  int rd, wr;
  pthread_t tid;
  long total;
};

static void *reader(void *arg) {
  struct sink *s = arg;
  char buf[4096];
  for (;;) {
    ssize_t n = read(s->rd, buf, sizeof buf);
    if (n <= 0)
      break;
    s->total += n;
  }
  close(s->rd);
  return NULL;
}

static int sink_open(struct sink *s) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  s->rd = p[0];
  s->wr = p[1];
  s->total = 0;
  if (pthread_create(&s->tid, NULL, reader, s) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  return 0;
}

static void sink_stop(struct sink *s) {
  pthread_join(s->tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() joins thread 's.tid' running 'reader' here, before 'sink_stop' closes the write end 's->wr': the thread reads the pipe until end-of-file, which never comes while 's->wr' is open, so pthread_join() never returns; close 's->wr' before the join [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 's->wr' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+18]]:7: note: thread 's.tid' running 'reader' starts here; it reads 's.rd' until end-of-file
  // CHECK-MESSAGES: :[[@LINE+17]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+20]]:3: note: 'sink_stop' is called here while thread 's.tid' running 'reader' runs and 's.wr' holds the write end
  close(s->wr);
}

static void sink_finish(struct sink *s) {
  sink_stop(s);
  printf("%ld bytes\n", s->total);
}

static void sink_stop_ok(struct sink *s) {
  close(s->wr);
  pthread_join(s->tid, NULL);
}

int direct(void) {
  struct sink s;
  if (sink_open(&s) != 0)
    return 1;
  if (write(s.wr, "hello\n", 6) != 6)
    return 1;
  sink_stop(&s);
  return s.total == 6 ? 0 : 1;
}

int nested(void) {
  struct sink s;
  if (sink_open(&s) != 0)
    return 1;
  if (write(s.wr, "hello\n", 6) != 6)
    return 1;
  sink_finish(&s);
  return 0;
}

int closed_first(void) {
  struct sink s;
  if (sink_open(&s) != 0)
    return 1;
  if (write(s.wr, "hello\n", 6) != 6)
    return 1;
  sink_stop_ok(&s);
  return s.total == 6 ? 0 : 1;
}

// A thread that only counts, and reads no pipe: joining it first is fine.
struct counter {
  int wr;
  pthread_t tid;
  long ticks;
};

static void *count(void *arg) {
  struct counter *c = arg;
  for (int i = 0; i < 1000; i++)
    c->ticks += i;
  return NULL;
}

static void counter_stop(struct counter *c) {
  pthread_join(c->tid, NULL);
  close(c->wr);
}

int counter(void) {
  int p[2];
  struct counter c = {.ticks = 0};
  if (pipe(p) != 0)
    return 1;
  c.wr = p[1];
  if (pthread_create(&c.tid, NULL, count, &c) != 0)
    return 1;
  counter_stop(&c);
  close(p[0]);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "direct"))
    return direct();
  if (!strcmp(s, "nested"))
    return nested();
  if (!strcmp(s, "closed-first"))
    return closed_first();
  if (!strcmp(s, "counter"))
    return counter();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A start helper that allocates a handle struct, makes a pipe, starts a
// writer thread (its arguments in another allocated struct, which the
// thread frees) and returns the handle with the read end (NULL on failure):
// the caller that gives up early without closing the read end or joining
// leaves the writer blocked on the full pipe for good. Closing the read end
// and joining on the early path, or reading to the end, is silent. The
// hang scenario reports the writer still blocked and exits 0; so do the
// near-misses, with the writer finished.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s early-return exit
// RUN: %run_example %s close-then-join exit
// RUN: %run_example %s read-all exit

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int writers_running;

struct feed_args {
  int wr;
  size_t blocks;
};

struct feed {
  pthread_t tid;
  int rd;
};

static void *feed_main(void *opaque) {
  struct feed_args *a = opaque;
  char block[4096];
  memset(block, 'f', sizeof block);
  atomic_fetch_add(&writers_running, 1);
  for (size_t i = 0; i < a->blocks; i++)
    if (write(a->wr, block, sizeof block) < 0)
      break;
  close(a->wr);
  free(a);
  atomic_fetch_sub(&writers_running, 1);
  return NULL;
}

static struct feed *feed_start(size_t blocks) {
  int p[2];
  struct feed *f = malloc(sizeof *f);
  if (!f)
    return NULL;
  struct feed_args *a = malloc(sizeof *a);
  if (!a) {
    free(f);
    return NULL;
  }
  if (pipe(p) < 0) {
    free(a);
    free(f);
    return NULL;
  }
  a->wr = p[1];
  a->blocks = blocks;
  f->rd = p[0];
  if (pthread_create(&f->tid, NULL, feed_main, a) != 0) {
    close(p[0]);
    close(p[1]);
    free(a);
    free(f);
    return NULL;
  }
  return f;
}

static int early_return(void) {
  struct feed *f = feed_start(64);
  if (!f)
    return -1;
  char hdr;
  if (read(f->rd, &hdr, 1) != 1 || hdr != 'H') {
    free(f);
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 'f->tid' running 'feed_main' is never joined on this path, and the read end 'f->rd' stays open and unread: the writer stays blocked on the full pipe forever; close 'f->rd' so that it fails with EPIPE, then join it [pipe-leaked-writer]
// CHECK-MESSAGES: :[[@LINE-8]]:20: note: thread 'f->tid' running 'feed_main' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
// CHECK-MESSAGES: :[[@LINE-9]]:20: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  }
  char buf[4096];
  while (read(f->rd, buf, sizeof buf) > 0) {
  }
  close(f->rd);
  pthread_join(f->tid, NULL);
  free(f);
  return 0;
}

static int close_then_join(void) {
  struct feed *f = feed_start(64);
  if (!f)
    return -1;
  char hdr;
  if (read(f->rd, &hdr, 1) != 1 || hdr != 'H') {
    close(f->rd);
    pthread_join(f->tid, NULL);
    free(f);
    return -1;
  }
  close(f->rd);
  pthread_join(f->tid, NULL);
  free(f);
  return 0;
}

static int read_all(void) {
  struct feed *f = feed_start(64);
  if (!f)
    return -1;
  char buf[4096];
  size_t total = 0;
  ssize_t n;
  while ((n = read(f->rd, buf, sizeof buf)) > 0)
    total += (size_t)n;
  close(f->rd);
  pthread_join(f->tid, NULL);
  free(f);
  return total == 64 * 4096 ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  signal(SIGPIPE, SIG_IGN); // a writer whose reader closed gets EPIPE
  if (!strcmp(argv[1], "early-return")) {
    early_return();
    usleep(200 * 1000);
    return atomic_load(&writers_running) == 1 ? 0 : 1;
  }
  if (!strcmp(argv[1], "close-then-join")) {
    close_then_join();
    return atomic_load(&writers_running) == 0 ? 0 : 1;
  }
  if (!strcmp(argv[1], "read-all"))
    return read_all() == 0 && atomic_load(&writers_running) == 0 ? 0 : 1;
  return 2;
}

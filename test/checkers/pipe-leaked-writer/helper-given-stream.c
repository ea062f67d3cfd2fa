/* pipe-leaked-writer through helpers that are also given a stdio stream
 * (`FILE *out`, where the reader copies what it reads): the stream is none
 * of the pipe streams the engine follows, so whatever the helper does to
 * it changes no descriptor or thread of the caller's, and the helper's
 * summary applies. Before, the stream argument made the call unknown and
 * handed off the struct holding the writer thread, and the join before the
 * close went unreported.
 *
 * The finding stops reading after a few lines and then joins the writer
 * before closing the read end: the writer, blocked on the full pipe, never
 * finishes, and the join hangs. The near miss closes the read end first
 * (the writer gets EPIPE) and finishes.
 *
 * RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=gnu11 -pthread
 * RUN: %run_example %s join-first hang
 * RUN: %run_example %s close-first exit
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct feed {
  pthread_t writer;
  int fds[2];
  int lines;
};

static void *produce(void *arg)
{
  struct feed *f = arg;
  char line[64];
  for (int i = 0; i < f->lines; i++) {
    int n = snprintf(line, sizeof line, "record %d\n", i);
    if (write(f->fds[1], line, (size_t)n) < 0)
      break;
  }
  close(f->fds[1]);
  return NULL;
}

static int feed_start(struct feed *f, int lines)
{
  f->lines = lines;
  if (pipe(f->fds) < 0)
    return -1;
  if (pthread_create(&f->writer, NULL, produce, f) != 0) {
    close(f->fds[0]);
    close(f->fds[1]);
    return -1;
  }
  return 0;
}

/* Copies at most `max` bytes of the feed to `out`. */
static int copy_some(struct feed *f, FILE *out, size_t max)
{
  char buf[256];
  size_t total = 0;
  ssize_t n;
  while ((n = read(f->fds[0], buf, sizeof buf)) > 0) {
    fwrite(buf, 1, (size_t)n, out);
    total += (size_t)n;
    if (total >= max)
      return 1;
  }
  return 0;
}

static void feed_stop(struct feed *f)
{
  pthread_join(f->writer, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'feed_stop' joins thread 'f.writer' running 'produce' here, before it closes the read end 'f->fds[0]': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'feed_stop' never returns; close 'f->fds[0]' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'f->fds[0]' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+15]]:7: note: thread 'f.writer' running 'produce' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+14]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+16]]:3: note: 'feed_stop' is called here while thread 'f.writer' running 'produce' may still be writing and 'f.fds[0]' is no longer read, though not at end-of-file
  close(f->fds[0]);
}

static void feed_stop_closing_first(struct feed *f)
{
  close(f->fds[0]);
  pthread_join(f->writer, NULL);
}

static int join_first(FILE *out)
{
  struct feed f;
  if (feed_start(&f, 100000) < 0)
    return 1;
  int cut = copy_some(&f, out, 1024);
  feed_stop(&f);
  return cut ? 0 : 1;
}

static int close_first(FILE *out)
{
  struct feed f;
  if (feed_start(&f, 100000) < 0)
    return 1;
  int cut = copy_some(&f, out, 1024);
  feed_stop_closing_first(&f);
  return cut ? 0 : 1;
}

int main(int argc, char **argv)
{
  FILE *out = fopen("/dev/null", "w");
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2 || !out)
    return 2;
  if (!strcmp(argv[1], "join-first"))
    return join_first(out);
  if (!strcmp(argv[1], "close-first"))
    return close_first(out);
  return 2;
}

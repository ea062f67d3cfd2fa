// pipe-leaked-writer when the reader stops reading before end-of-file (its
// buffer is full) and then joins the writer while the read end is still
// open: a writer with more than a pipe's capacity left blocks on the full
// pipe and the join never returns. The message says the end was read, but
// not to end-of-file. Shapes: the capped loop in the joining function, and
// in a helper that reads and joins (its summary says it read the end
// before the join).
//
// Near misses, each run: the reader closes the read end before the join
// (the writer fails with EPIPE), and a reader that reads to end-of-file.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s capped-here hang
// RUN: %run_example %s capped-in-helper hang
// RUN: %run_example %s capped-then-closed exit
// RUN: %run_example %s to-end-of-file exit

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct stream {
  int rd, wr;
  pthread_t tid;
};

static void *produce(void *arg) {
  struct stream *s = arg;
  static char block[4096];
  memset(block, 'x', sizeof block);
  for (int i = 0; i < 64; i++) /* 256 KiB */
    if (write(s->wr, block, sizeof block) < 0)
      break;
  close(s->wr);
  return NULL;
}

static int start(struct stream *s) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  s->rd = fds[0];
  s->wr = fds[1];
  if (pthread_create(&s->tid, NULL, produce, s) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

/* Keeps the first cap - 1 bytes, then joins. */
static long collect(struct stream *s, char *out, size_t cap) {
  size_t used = 0;
  ssize_t n;
  while ((n = read(s->rd, out + used, cap - 1 - used)) > 0) {
    used += (size_t)n;
    if (used == cap - 1)
      break;
  }
  pthread_join(s->tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'collect' joins thread 's.tid' running 'produce' here, before it closes the read end 's->rd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'collect' never returns; close 's->rd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 's->rd' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+34]]:7: note: thread 's.tid' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+33]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+34]]:10: note: 'collect' is called here while thread 's.tid' running 'produce' may still be writing and 's.rd' is no longer read, though not at end-of-file
  close(s->rd);
  return (long)used;
}

static int capped_here(int close_first) {
  struct stream s;
  char out[1024];
  size_t used = 0;
  ssize_t n;
  if (start(&s) < 0)
    return 1;
  while ((n = read(s.rd, out + used, sizeof out - used)) > 0) {
    used += (size_t)n;
    if (used == sizeof out)
      break;
  }
  if (close_first)
    close(s.rd);
  pthread_join(s.tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: thread 's.tid' running 'produce' is joined here while the read end 's.rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 's.rd' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: thread 's.tid' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the false branch
  if (!close_first)
    close(s.rd);
  return used == sizeof out ? 0 : 1;
}

static int capped_in_helper(void) {
  struct stream s;
  char out[1024];
  if (start(&s) < 0)
    return 1;
  return collect(&s, out, sizeof out) == sizeof out - 1 ? 0 : 1;
}

static int to_end_of_file(void) {
  struct stream s;
  char out[1024];
  long total = 0;
  ssize_t n;
  if (start(&s) < 0)
    return 1;
  while ((n = read(s.rd, out, sizeof out)) > 0)
    total += n;
  pthread_join(s.tid, NULL);
  close(s.rd);
  return total == 64 * 4096 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *sc = argc > 1 ? argv[1] : "";
  signal(SIGPIPE, SIG_IGN);
  if (!strcmp(sc, "capped-here"))
    return capped_here(0);
  if (!strcmp(sc, "capped-in-helper"))
    return capped_in_helper();
  if (!strcmp(sc, "capped-then-closed"))
    return capped_here(1);
  if (!strcmp(sc, "to-end-of-file"))
    return to_end_of_file();
  return 64;
}

// pipe-wait-before-drain for threads: a writer thread that writes more
// than the pipe holds is joined before the pipe is read. The writer blocks
// in write() once the pipe is full (64 KiB), so the join never returns.
// The thread is started and joined directly, or by helpers that keep its
// handle and the pipe in a struct the caller owns (one and two helpers
// deep), and the output is read by a helper that reads through the struct
// pointer. The "-ok" scenarios write 4 KiB, which fits; the near-misses
// read before they join.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-leaked-writer %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s direct-ok exit
// RUN: %run_example %s helpers hang
// RUN: %run_example %s helpers-ok exit
// RUN: %run_example %s deep hang
// RUN: %run_example %s read-first exit

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct encoder {
  int fds[2];
  pthread_t tid;
  int blocks;
};

static void *encode(void *arg) {
  struct encoder *e = arg;
  char row[4096];
  memset(row, 'x', sizeof row);
  for (int i = 0; i < e->blocks; ++i)
    if (write(e->fds[1], row, sizeof row) < 0)
      break;
  close(e->fds[1]);
  return NULL;
}

static int encoder_start(struct encoder *e) {
  return pthread_create(&e->tid, NULL, encode, e);
}

static int encoder_start_checked(struct encoder *e) {
  if (encoder_start(e) != 0)
    return -1;
  return 0;
}

static void encoder_finish(struct encoder *e) { pthread_join(e->tid, NULL); }

/* Reads everything the encoder wrote; how many bytes. */
static long encoder_collect(struct encoder *e) {
  char buf[8192];
  long total = 0;
  ssize_t n;
  while ((n = read(e->fds[0], buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static long direct(int blocks) {
  struct encoder e;
  e.blocks = blocks;
  if (pipe(e.fds) != 0)
    return -1;
  if (pthread_create(&e.tid, NULL, encode, &e) != 0) {
    close(e.fds[0]);
    close(e.fds[1]);
    return -1;
  }
  pthread_join(e.tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() waits for thread 'e.tid' running 'encode' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this pthread_join() never returns; read 'e.fds[0]' to end-of-file before the pthread_join(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'e.tid' running 'encode' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'e.fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'e.fds[0]' before this join also ends it: the writer then fails with EPIPE
  long total = encoder_collect(&e);
  close(e.fds[0]);
  return total;
}

static long helpers(int blocks) {
  struct encoder e;
  e.blocks = blocks;
  if (pipe(e.fds) != 0)
    return -1;
  if (encoder_start(&e) != 0) {
    close(e.fds[0]);
    close(e.fds[1]);
    return -1;
  }
  encoder_finish(&e);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: encoder_finish() waits for thread 'e.tid' running 'encode' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this encoder_finish() never returns; read 'e.fds[0]' to end-of-file before the encoder_finish(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'e.tid' running 'encode' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'e.fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'e.fds[0]' before this join also ends it: the writer then fails with EPIPE
  long total = encoder_collect(&e);
  close(e.fds[0]);
  return total;
}

static long deep(int blocks) {
  struct encoder e;
  e.blocks = blocks;
  if (pipe(e.fds) != 0)
    return -1;
  if (encoder_start_checked(&e) < 0) {
    close(e.fds[0]);
    close(e.fds[1]);
    return -1;
  }
  encoder_finish(&e);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: encoder_finish() waits for thread 'e.tid' running 'encode' before the pipe it writes is read: {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'e.tid' running 'encode' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'e.fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, {{.*}}
  long total = encoder_collect(&e);
  close(e.fds[0]);
  return total;
}

/* Near-miss: the output is read to the end before the join. */
static long read_first(int blocks) {
  struct encoder e;
  e.blocks = blocks;
  if (pipe(e.fds) != 0)
    return -1;
  if (encoder_start(&e) != 0) {
    close(e.fds[0]);
    close(e.fds[1]);
    return -1;
  }
  long total = encoder_collect(&e);
  encoder_finish(&e);
  close(e.fds[0]);
  return total;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  long want = 64 * 4096L, small = 4096L;
  if (!strcmp(s, "direct"))
    return direct(64) == want ? 0 : 1;
  if (!strcmp(s, "direct-ok"))
    return direct(1) == small ? 0 : 1;
  if (!strcmp(s, "helpers"))
    return helpers(64) == want ? 0 : 1;
  if (!strcmp(s, "helpers-ok"))
    return helpers(1) == small ? 0 : 1;
  if (!strcmp(s, "deep"))
    return deep(64) == want ? 0 : 1;
  if (!strcmp(s, "read-first"))
    return read_first(64) == want ? 0 : 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A helper that writes one of its caller's descriptors and then reads
// another: given the two ends of one pipe (through a struct pointer, one
// or two calls down), it uses the pipe as an in-process
// queue. Once it has written more than the pipe holds, its write blocks
// for ever: the only reader is the same thread, after the write. The
// warning is at the helper's write, where the fix is, once however many
// callers (or wrappers) give it both ends, with notes at its read and at
// the call that gives it both ends.
//
// The near misses: the same helper given the input and the output pipe of
// a child (two pipes), a helper that writes one small record before its
// read, and one that reads each record back in the loop that writes it.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=gnu11
// RUN: %run_example %s struct-queue hang
// RUN: %run_example %s two-levels hang
// RUN: %run_example %s child-pipes exit
// RUN: %run_example %s small-record exit
// RUN: %run_example %s lock-step exit

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct queue {
  int rd;
  int wr;
};

static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

// Writes `count` records of 100 bytes, then reads them back.
static size_t requeue(struct queue *q, int count) {
  char rec[100];
  memset(rec, 'r', sizeof rec);
  for (int i = 0; i < count; i++)
    if (write_all(q->wr, rec, sizeof rec) < 0)
      return 0;
  size_t got = 0;
  for (int i = 0; i < count; i++) {
    if (read(q->rd, rec, sizeof rec) <= 0)
      break;
    got++;
  }
  return got;
}

static size_t struct_queue(int count) {
  int p[2];
  if (pipe(p) < 0)
    return 0;
  struct queue q = {p[0], p[1]};
  size_t n = requeue(&q, count);
  // CHECK-MESSAGES: :[[@LINE-17]]:9: warning: 'requeue' writes an amount that grows with the loop to 'q.wr' and then reads the pipe back from 'q.rd' in the same thread, when 'struct_queue' gives it both ends of one pipe: the pipe holds 65536 bytes, so this write blocks forever before the read; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-14]]:9: note: it reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-3]]:14: note: 'requeue' is given both ends of the pipe here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return n;
}

// Two levels: the same through a wrapper that takes the struct.
static size_t drain_queue(struct queue *q, int count) {
  return requeue(q, count);
}

static size_t two_levels(int count) {
  struct queue q;
  int p[2];
  if (pipe(p) < 0)
    return 0;
  q.rd = p[0];
  q.wr = p[1];
  size_t n = drain_queue(&q, count);
  close(q.rd);
  close(q.wr);
  return n;
}

// Near miss: the child's input and output are two pipes; `cat` reads what
// requeue() writes (here, less than a pipe holds in all).
static size_t child_pipes(void) {
  int in[2], out[2];
  if (pipe(in) < 0)
    return 0;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return 0;
  }
  pid_t pid = fork();
  if (pid < 0)
    exit(1);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("cat", "cat", (char *)0);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  struct queue q = {out[0], in[1]};
  size_t n = requeue(&q, 10);
  close(in[1]);
  close(out[0]);
  waitpid(pid, NULL, 0);
  return n;
}

// Near miss: one small record before the read.
static size_t one_record(struct queue *q) {
  char rec[16] = "record";
  if (write_all(q->wr, rec, sizeof rec) < 0)
    return 0;
  return read(q->rd, rec, sizeof rec) > 0;
}

static size_t small_record(void) {
  int p[2];
  if (pipe(p) < 0)
    return 0;
  struct queue q = {p[0], p[1]};
  size_t n = one_record(&q);
  close(p[0]);
  close(p[1]);
  return n;
}

// Near miss: each record is read back in the turn that writes it.
static size_t lock_step(struct queue *q, int count) {
  char rec[100], back[100];
  size_t got = 0;
  memset(rec, 'l', sizeof rec);
  for (int i = 0; i < count; i++) {
    if (write_all(q->wr, rec, sizeof rec) < 0)
      break;
    if (read(q->rd, back, sizeof back) <= 0)
      break;
    got++;
  }
  return got;
}

static size_t lock_step_queue(int count) {
  int p[2];
  if (pipe(p) < 0)
    return 0;
  struct queue q = {p[0], p[1]};
  size_t n = lock_step(&q, count);
  close(p[0]);
  close(p[1]);
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  int big = 5000; // 500 KB of records
  if (!strcmp(s, "struct-queue"))
    return struct_queue(big) == (size_t)big ? 0 : 1;
  if (!strcmp(s, "two-levels"))
    return two_levels(big) == (size_t)big ? 0 : 1;
  if (!strcmp(s, "child-pipes"))
    return child_pipes() == 10 ? 0 : 1;
  if (!strcmp(s, "small-record"))
    return small_record() == 1 ? 0 : 1;
  if (!strcmp(s, "lock-step"))
    return lock_step_queue(big) == (size_t)big ? 0 : 1;
  return 2;
}

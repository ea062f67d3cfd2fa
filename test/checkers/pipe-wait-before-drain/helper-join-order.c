// pipe-wait-before-drain for a helper that joins (or waits for) its
// caller's writer and reads the writer's pipe to end-of-file only after
// that: the writer fills the pipe, blocks, and the join never returns.
// The helper cannot see the writer, which its caller started; the caller
// sees it and the helper's summary, and the warning is in the helper, at
// its join, where the order is to be fixed. Shapes: the join in a helper
// of the helper and the read in another, on the success path only; the
// same with the pthread_join() in the helper itself. The writer writes
// through a stream fdopen() made of its end, and the reader's loop returns
// a failure before its read: neither hides the hang. A helper that reads
// to the end on every path after its join (a read loop; a waitpid() for a
// child writing its output) is reported at its call, as before.
//
// Near misses, each run: the same helpers reading first and joining after.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s finish-then-slurp hang
// RUN: %run_example %s join-then-slurp hang
// RUN: %run_example %s join-then-loop hang
// RUN: %run_example %s wait-then-read hang
// RUN: %run_example %s slurp-then-finish exit
// RUN: %run_example %s loop-then-join exit

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
  pthread_t thread;
  int rd, wr;
  long bytes;
};

/* Writes 256 KiB through a stream made of the write end. */
static void *produce(void *arg) {
  struct job *j = arg;
  FILE *out = fdopen(j->wr, "w");
  if (!out) {
    close(j->wr);
    return NULL;
  }
  for (int i = 0; i < 8192; i++)
    fputs("0123456789abcdef0123456789abcde\n", out);
  fclose(out);
  return NULL;
}

static int job_start(struct job *j) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  j->rd = p[0];
  j->wr = p[1];
  j->bytes = 0;
  if (pthread_create(&j->thread, NULL, produce, j) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  return 0;
}

static int job_finish(struct job *j) {
  return pthread_join(j->thread, NULL) == 0 ? 0 : -1;
}

struct sink {
  long bytes;
};

static int slurp(struct sink *out, int fd) {
  char buf[4096];
  for (;;) {
    if (out->bytes > (1L << 40))
      return -EFBIG; /* a failure before the read */
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -errno;
    if (n == 0)
      return 0;
    out->bytes += n;
  }
}

/* Joins, then reads on success. */
static int job_end(struct job *j, struct sink *out) {
  int rc = job_finish(j);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: job_finish() joins thread 'j.thread' running 'produce' here, before 'job_end' reads 'j->rd' to end-of-file: the writer blocks once the pipe is full (65536 bytes) and never finishes, so job_finish() never returns; read 'j->rd' to end-of-file first, or from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE+5]]:10: note: 'j->rd' is read only here, after the join
  // CHECK-MESSAGES: :[[@LINE+96]]:12: note: thread 'j.thread' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+95]]:12: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+94]]:34: note: 'job_end' is called here, before thread 'j.thread' running 'produce' is joined
  if (rc == 0)
    rc = slurp(out, j->rd);
  close(j->rd);
  return rc;
}

/* The same with the join in its own body. */
static int job_end_joining(struct job *j, struct sink *out) {
  int rc = pthread_join(j->thread, NULL) == 0 ? 0 : -1;
  if (rc == 0)
    rc = slurp(out, j->rd);
  close(j->rd);
  return rc;
}

/* Reads, then joins. */
static int job_end_fixed(struct job *j, struct sink *out) {
  int rc = slurp(out, j->rd);
  if (job_finish(j) != 0)
    rc = -1;
  close(j->rd);
  return rc;
}

/* Joins, then reads in a loop of its own. */
static long job_collect(struct job *j) {
  char buf[4096];
  ssize_t n;
  long total = 0;
  pthread_join(j->thread, NULL);
  while ((n = read(j->rd, buf, sizeof buf)) > 0)
    total += n;
  close(j->rd);
  return total;
}

static long job_collect_fixed(struct job *j) {
  char buf[4096];
  ssize_t n;
  long total = 0;
  while ((n = read(j->rd, buf, sizeof buf)) > 0)
    total += n;
  pthread_join(j->thread, NULL);
  close(j->rd);
  return total;
}

struct child {
  pid_t pid;
  int out;
};

static int child_start(struct child *c) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  c->pid = fork();
  if (c->pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (c->pid == 0) {
    static char block[4096];
    close(p[0]);
    for (int i = 0; i < 64; i++)
      write(p[1], block, sizeof block);
    _exit(0);
  }
  close(p[1]);
  c->out = p[0];
  return 0;
}

/* Waits for the child, then reads its output. */
static long child_end(struct child *c) {
  char buf[4096];
  ssize_t n;
  long total = 0;
  int status;
  waitpid(c->pid, &status, 0);
  while ((n = read(c->out, buf, sizeof buf)) > 0)
    total += n;
  close(c->out);
  return total;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  struct job j;
  struct child c;
  struct sink out = {0};
  if (!strcmp(s, "finish-then-slurp"))
    return job_start(&j) == 0 && job_end(&j, &out) == 0 ? 0 : 1;
  if (!strcmp(s, "join-then-slurp"))
    return job_start(&j) == 0 && job_end_joining(&j, &out) == 0 ? 0 : 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: job_end_joining() waits for thread 'j.thread' running 'produce' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this job_end_joining() never returns; read 'j.rd' to end-of-file before the job_end_joining(), or read it from another thread while the writer runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: thread 'j.thread' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-3]]:12: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:34: note: job_end_joining() reads 'j.rd' only after that wait
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  if (!strcmp(s, "join-then-loop"))
    return job_start(&j) == 0 && job_collect(&j) == 64 * 4096 ? 0 : 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: job_collect() waits for thread 'j.thread' running 'produce' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this job_collect() never returns; read 'j.rd' to end-of-file before the job_collect(), or read it from another thread while the writer runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: thread 'j.thread' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-3]]:12: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:34: note: job_collect() reads 'j.rd' only after that wait
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  if (!strcmp(s, "wait-then-read"))
    return child_start(&c) == 0 && child_end(&c) == 64 * 4096 ? 0 : 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: child_end() waits for child process 'c.pid' before its output pipe 'c.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-2]]:12: note: child process 'c.pid' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-3]]:12: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:36: note: child_end() reads 'c.out' only after that wait
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  if (!strcmp(s, "slurp-then-finish"))
    return job_start(&j) == 0 && job_end_fixed(&j, &out) == 0 ? 0 : 1;
  if (!strcmp(s, "loop-then-join"))
    return job_start(&j) == 0 && job_collect_fixed(&j) == 64 * 4096 ? 0 : 1;
  return 64;
}

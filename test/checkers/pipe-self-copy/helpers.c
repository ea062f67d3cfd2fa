// pipe-self-copy through copy helpers defined in the same file: a function
// that copies one descriptor into another (a read()/write() loop, splice()
// with a fallback to that loop, splice() alone), called directly, through
// a second helper, with an `int q[2]` parameter or a struct. Each helper's
// copy is a summary fact ("copies from parameter i into parameter j"), read
// off its body once and applied at each call with the actual arguments.
//
//  - called with the read end and the write end of one pipe, a loop helper
//    never returns: it reads back what it wrote (the queues here are
//    O_NONBLOCK, so without the typo the copy would end when the queue is
//    empty). These scenarios hang.
//  - a splice()-only helper fails with EINVAL and moves nothing; the
//    scenario checks exactly that.
//  - the same helpers called with two different pipes, a helper that reads
//    one end and writes something else to the other, and a helper copying
//    from a pipe into a file: silent, and they finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t -- -- -I%S
// RUN: %run_example %s helper-loop hang
// RUN: %run_example %s helper-array-param hang
// RUN: %run_example %s helper-fallback hang
// RUN: %run_example %s helper-struct hang
// RUN: %run_example %s helper-splice exit
// RUN: %run_example %s helper-loop-ok exit
// RUN: %run_example %s helper-array-param-ok exit
// RUN: %run_example %s helper-fallback-ok exit
// RUN: %run_example %s helper-struct-ok exit
// RUN: %run_example %s not-a-copy exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- copy helpers ------------------------------------------------------- */

/* Copies everything readable from 'from' into 'to'; -1 on a write error. */
static int copy_fd(int from, int to)
{
  char buf[4096];
  ssize_t n;

  while ((n = read(from, buf, sizeof buf)) > 0)
    if (write_all(to, buf, (size_t)n) < 0)
      return -1;
  return 0;
}

/* The queue's pending entries go back into... the queue: q[1] where the
 * caller's other pipe was meant (depth 2, through an array parameter). */
static int requeue(int q[2])
{
  return copy_fd(q[0], q[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'copy_fd' copies what it reads from 'q[0]' into 'q[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'q[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :53:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE+98]]:8: note: both ends of the pipe reach it through this call of 'requeue'
  // CHECK-MESSAGES: :[[@LINE+95]]:7: note: pipe created here
}

/* Two pipes: from one array into the other (the fixed requeue()). */
static int move_queue(int from[2], int to[2])
{
  return copy_fd(from[0], to[1]);
}

/* splice() without a copy through user space when the kernel can, the
 * read/write loop when it refuses (EINVAL). */
static int forward(int in, int out)
{
  ssize_t n = splice(in, NULL, out, NULL, 65536, SPLICE_F_NONBLOCK);

  if (n >= 0)
    return 0;
  if (errno != EINVAL)
    return -1;
  return copy_fd(in, out);
}

/* splice() only: -1 and errno when the kernel refuses. */
static ssize_t splice_some(int in, int out)
{
  return splice(in, NULL, out, NULL, 65536, SPLICE_F_NONBLOCK);
}

struct relay {
  int in, out;
};

static int relay_run(const struct relay *r)
{
  int from = r->in;

  return copy_fd(from, r->out);
}

/* Reads a request from 'from' and writes an acknowledgement to 'to': not a
 * copy, whatever the two descriptors are. */
static int acknowledge(int from, int to)
{
  char req[64];
  static const char ack[] = "ok\n";

  if (read(from, req, sizeof req) <= 0)
    return -1;
  return write_all(to, ack, sizeof ack - 1);
}

/* A queue: a pipe whose read end does not block. (The callers fill it: a
 * helper that also wrote to the new pipe would not be a plain creator.) */
static int make_queue(int q[2])
{
  if (pipe(q) < 0)
    return -1;
  fcntl(q[0], F_SETFL, O_NONBLOCK);
  return 0;
}

static const char jobs[] = "resize 1.png\nresize 2.png\nthumb 3.png\n";

/* ---- findings ----------------------------------------------------------- */

/* Hands the queued jobs to the worker's pipe; the typo copies the queue
 * into itself. */
int dispatch(int *out_bytes)
{
  int queue[2], worker[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  rc = copy_fd(queue[0], queue[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'copy_fd' copies what it reads from 'queue[0]' into 'queue[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'queue[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :53:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(worker[1]);
  *out_bytes = (int)drain(worker[0]);
  close(worker[0]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

/* The queue is handed to requeue(), whose copy_fd() copies q[0] into q[1]. */
int dispatch_array(void)
{
  int queue[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  rc = requeue(queue); // reported in requeue(), which chose q[1]
  close(queue[0]);
  close(queue[1]);
  return rc;
}

/* forward() falls back to the copy loop when splice() refuses, and splice()
 * refuses to copy a pipe into itself: the loop then copies it round. */
int forward_pending(void)
{
  int queue[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  rc = forward(queue[0], queue[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'forward' copies what it reads from 'queue[0]' into 'queue[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'queue[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :53:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(queue[0]);
  close(queue[1]);
  return rc;
}

/* The relay's two descriptors are set from the same pipe. */
int relay_pending(void)
{
  int queue[2], out[2], rc;
  struct relay r;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  r.in = queue[0];
  r.out = queue[1];
  rc = relay_run(&r);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'relay_run' copies what it reads from 'r.in' into 'r.out', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'r.out'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :53:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  close(out[0]);
  close(out[1]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

/* splice_some() with both ends of the inbox: EINVAL, nothing moves. */
ssize_t splice_pending(int *err, long *left)
{
  int inbox[2];
  ssize_t moved;

  if (make_queue(inbox) < 0 || write_all(inbox[1], jobs, strlen(jobs)) < 0)
    return -2;
  moved = splice_some(inbox[0], inbox[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'splice_some' copies from 'inbox[0]' into 'inbox[1]', the write end of the same pipe, with splice(): the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :91:10: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  *err = errno;
  close(inbox[1]);
  fcntl(inbox[0], F_SETFL, 0);
  *left = drain(inbox[0]);
  close(inbox[0]);
  return moved;
}

/* ---- near-misses: the same helpers between two pipes -------------------- */

int dispatch_ok(int *out_bytes)
{
  int queue[2], worker[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  rc = copy_fd(queue[0], worker[1]);
  close(worker[1]);
  *out_bytes = (int)drain(worker[0]);
  close(worker[0]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

int dispatch_array_ok(int *out_bytes)
{
  int queue[2], worker[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  rc = move_queue(queue, worker);
  close(worker[1]);
  *out_bytes = (int)drain(worker[0]);
  close(worker[0]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

int forward_pending_ok(int *out_bytes)
{
  int queue[2], worker[2], rc;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  rc = forward(queue[0], worker[1]);
  close(worker[1]);
  *out_bytes = (int)drain(worker[0]);
  close(worker[0]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

int relay_pending_ok(int *out_bytes)
{
  int queue[2], out[2], rc;
  struct relay r;

  if (make_queue(queue) < 0 || write_all(queue[1], jobs, strlen(jobs)) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  r.in = queue[0];
  r.out = out[1];
  rc = relay_run(&r);
  close(out[1]);
  *out_bytes = (int)drain(out[0]);
  close(out[0]);
  close(queue[0]);
  close(queue[1]);
  return rc;
}

/* One pipe, both ends given to a helper that reads a request and writes an
 * acknowledgement: not a copy, and it returns. */
int ack_self(char *got, size_t size)
{
  int p[2], rc;
  ssize_t n;

  if (pipe(p) < 0)
    return -1;
  write_all(p[1], "ping\n", 5);
  rc = acknowledge(p[0], p[1]);
  n = read(p[0], got, size - 1);
  got[n > 0 ? n : 0] = '\0';
  close(p[0]);
  close(p[1]);
  return rc;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int bytes = 0;

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "helper-loop") == 0)
    return dispatch(&bytes) != 0;
  if (strcmp(s, "helper-array-param") == 0)
    return dispatch_array() != 0;
  if (strcmp(s, "helper-fallback") == 0)
    return forward_pending() != 0;
  if (strcmp(s, "helper-struct") == 0)
    return relay_pending() != 0;
  if (strcmp(s, "helper-splice") == 0) {
    int err = 0;
    long left = -1;
    ssize_t r = splice_pending(&err, &left);
    /* The kernel refused, and every job is still in the inbox. */
    return !(r == -1 && err == EINVAL && left == (long)strlen(jobs));
  }
  if (strcmp(s, "helper-loop-ok") == 0)
    return !(dispatch_ok(&bytes) == 0 && bytes == (int)strlen(jobs));
  if (strcmp(s, "helper-array-param-ok") == 0)
    return !(dispatch_array_ok(&bytes) == 0 && bytes == (int)strlen(jobs));
  if (strcmp(s, "helper-fallback-ok") == 0)
    return !(forward_pending_ok(&bytes) == 0 && bytes == (int)strlen(jobs));
  if (strcmp(s, "helper-struct-ok") == 0)
    return !(relay_pending_ok(&bytes) == 0 && bytes == (int)strlen(jobs));
  if (strcmp(s, "not-a-copy") == 0) {
    char got[16];
    return !(ack_self(got, sizeof got) == 0 && strcmp(got, "ok\n") == 0);
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-self-copy through members of a struct nested in the one a helper is
// given (`t->body.rd`, `t->body.wr`): the helper passes two members of one
// inner struct to a copy helper, and its caller filled that inner struct
// with the two ends of one pipe. Reported at the caller's call, where the
// pipe is known, with a note at the copy. Shapes: tee() (fails with
// EINVAL: the audit copy gets nothing, the scenario checks it), and a
// read()/write() loop two calls down (reads back what it writes: hangs).
// The near miss copies body into audit, as meant: it finishes, silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t
// RUN: %run_example %s tee exit
// RUN: %run_example %s loop hang
// RUN: %run_example %s ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct ends {
  int rd;
  int wr;
};

struct tap {
  struct ends body;
  struct ends audit;
};

static int tap_open(struct tap *t)
{
  int b[2], a[2];
  if (pipe2(b, O_NONBLOCK) < 0)
    return -1;
  if (pipe2(a, O_NONBLOCK) < 0) {
    close(b[0]);
    close(b[1]);
    return -1;
  }
  t->body.rd = b[0];
  t->body.wr = b[1];
  t->audit.rd = a[0];
  t->audit.wr = a[1];
  return 0;
}

static void tap_close(struct tap *t)
{
  close(t->body.rd);
  close(t->body.wr);
  close(t->audit.rd);
  close(t->audit.wr);
}

static long mirror_all(int from, int to, size_t len)
{
  long done = 0;
  while ((size_t)done < len) {
    ssize_t n = tee(from, to, len - (size_t)done, SPLICE_F_NONBLOCK);
    if (n <= 0)
      break;
    done += n;
  }
  return done;
}

static void pump(int from, int to)
{
  char buf[512];
  ssize_t n;
  for (;;) {
    n = read(from, buf, sizeof buf);
    if (n == 0)
      break;
    if (n < 0)
      continue; /* EAGAIN: more may come */
    if (write(to, buf, (size_t)n) != n)
      break;
  }
}

static long tap_mirror(struct tap *t, size_t len)
{
  return mirror_all(t->body.rd, t->body.wr, len);
}

static void copy_stage(struct ends *e) { pump(e->rd, e->wr); }

static void tap_forward(struct tap *t) { copy_stage(&t->body); }

static long tap_mirror_ok(struct tap *t, size_t len)
{
  return mirror_all(t->body.rd, t->audit.wr, len);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  static const char msg[] = "GET /index.html\r\n";
  struct tap t;
  char buf[64];

  if (tap_open(&t) < 0)
    return 2;
  if (write(t.body.wr, msg, sizeof msg) != (ssize_t)sizeof msg)
    return 2;
  if (strcmp(s, "tee") == 0) {
    long done = tap_mirror(&t, sizeof msg);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'tap_mirror' copies from 't.body.rd' into 't.body.wr', the write end of the same pipe, with tee(): the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; pass the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-51]]:17: note: the copy is made here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    /* Nothing was mirrored, and the audit pipe is empty. */
    int empty = read(t.audit.rd, buf, sizeof buf) < 0;
    tap_close(&t);
    return done == 0 && empty ? 0 : 1;
  }
  if (strcmp(s, "loop") == 0) {
    tap_forward(&t);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'tap_forward' copies what it reads from 't.body.rd' into 't.body.wr', the write end of the same pipe: the data goes round and round, and each read finds what the last write put back, so the call never returns while the pipe holds data; pass the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-43]]:9: note: the copy is made here
    // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
    tap_close(&t);
    return 0;
  }
  long done = tap_mirror_ok(&t, sizeof msg);
  int got = (int)read(t.audit.rd, buf, sizeof buf);
  tap_close(&t);
  return done == (long)sizeof msg && got == (int)sizeof msg ? 0 : 1;
}

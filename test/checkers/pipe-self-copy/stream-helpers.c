/* pipe-self-copy through copy helpers that take stdio streams: a helper
 * given `FILE *src, FILE *dst` that copies lines (fgets/fputs) or blocks
 * (fread/fwrite) from one into the other is summarised like one given
 * descriptors, and a call with streams opened (fdopen) on the two ends of
 * one pipe is reported: directly, through a second helper, and when the
 * helper opens the streams itself on the ends of a struct it is given.
 *  - each reported copy hangs: what it reads goes back into the pipe;
 *  - the near-misses copy into another pipe and finish.
 *
 * RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t
 * RUN: %run_example %s lines hang
 * RUN: %run_example %s blocks hang
 * RUN: %run_example %s linked hang
 * RUN: %run_example %s lines-ok exit
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long copy_lines(FILE *src, FILE *dst)
{
  char text[128];
  long lines;
  for (lines = 0; fgets(text, (int)sizeof text, src) != NULL; lines++) {
    if (fputs(text, dst) < 0)
      return -1;
    fflush(dst);
  }
  return lines;
}

static long copy_blocks(FILE *in, FILE *out)
{
  char buf[512];
  size_t got;
  long total = 0;
  while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
    if (fwrite(buf, 1, got, out) != got || fflush(out) == EOF)
      return -1;
    total += (long)got;
  }
  return total;
}

/* Depth 2: the streams go through another function. */
static long forward(FILE *from, FILE *to) { return copy_blocks(from, to); }

struct link {
  int fds[2];
};

/* The helper opens the streams on the ends it is given. */
static long drain_link(struct link *l, struct link *next)
{
  FILE *src = fdopen(l->fds[0], "r");
  FILE *dst = fdopen(l->fds[1], "w"); /* meant next->fds[1] */
  (void)next;
  if (!src || !dst)
    return -1;
  return copy_lines(src, dst);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'copy_lines' copies what it reads from 'src' into 'dst', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'dst'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-37]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE+65]]:10: note: both ends of the pipe reach it through this call of 'drain_link'
  // CHECK-MESSAGES: :[[@LINE+60]]:7: note: pipe created here
}

static long lines(void)
{
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], "one\ntwo\n", 8) != 8)
    return -1;
  FILE *src = fdopen(p[0], "r");
  FILE *dst = fdopen(p[1], "w");
  if (!src || !dst)
    return -1;
  return copy_lines(src, dst);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'copy_lines' copies what it reads from 'src' into 'dst', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'dst'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-55]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
}

static long lines_ok(void)
{
  int p[2], q[2];
  if (pipe(p) != 0)
    return -1;
  if (pipe(q) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (write(p[1], "one\ntwo\n", 8) != 8)
    return -1;
  close(p[1]);
  FILE *src = fdopen(p[0], "r");
  FILE *dst = fdopen(q[1], "w");
  if (!src || !dst)
    return -1;
  return copy_lines(src, dst);
}

static long blocks(void)
{
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], "data", 4) != 4)
    return -1;
  FILE *in = fdopen(p[0], "r");
  FILE *out = fdopen(p[1], "w");
  if (!in || !out)
    return -1;
  return forward(in, out);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'forward' copies what it reads from 'in' into 'out', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'out'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-79]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
}

static long linked(void)
{
  struct link a, b;
  if (pipe(a.fds) != 0 || pipe(b.fds) != 0)
    return -1;
  if (write(a.fds[1], "x\n", 2) != 2)
    return -1;
  return drain_link(&a, &b);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "lines"))
    return lines() >= 0;
  if (!strcmp(s, "lines-ok"))
    return lines_ok() != 2;
  if (!strcmp(s, "blocks"))
    return blocks() >= 0;
  if (!strcmp(s, "linked"))
    return linked() >= 0;
  return 2;
}

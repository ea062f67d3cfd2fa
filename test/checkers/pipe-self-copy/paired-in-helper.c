// pipe-self-copy and pipe-self-deadlock when a helper pairs the two ends of
// one pipe that its caller passes in a single argument (an `int[2]` inside
// a struct, an array parameter): the helper names `st->fds[0]` and
// `st->fds[1]` (or `p[0]`, `p[1]`) as the source and the destination of a
// copy. The caller that made the pipe passes it correctly; the line to fix
// is in the helper: pipe-self-copy reports there (pipe-self-deadlock if it
// is disabled: RUN at the end), with a note at the call that brings the pipe. The copy loop here walks the buffer with a pointer
// of its own (`char *p = buf; ... p += w;`), at depth 3 from the pipe's
// owner; the kernel copy is tee() at depth 2.
//
//  - the loop copies the pipe into itself: it never returns (hang);
//  - tee() of a pipe into itself fails with EINVAL (the scenario checks it);
//  - the same helpers pairing ends of two different pipes are silent and
//    finish, and so is a helper that stores another pipe's write end into
//    the element it then copies into; a struct whose two separate fields the caller fills is not a
//    pair the helper chose (reported at the caller: helpers.c).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy,pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s stage-depth3 hang
// RUN: %run_example %s tee-array exit
// RUN: %run_example %s stage-depth3-ok exit
// RUN: %run_example %s tee-array-ok exit
// RUN: %run_example %s stage-repointed-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char frame[] = "frame 1\nframe 2\n";

/* Copies everything from 'from' into 'to', a partial write at a time. */
static long drain_into(int from, int to)
{
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(from, buf, sizeof buf)) > 0) {
    char *p = buf;
    while (n > 0) {
      ssize_t w = write(to, p, (size_t)n);
      if (w < 0)
        return -1;
      p += w;
      n -= w;
      total += w;
    }
  }
  return n < 0 ? -1 : total;
}

struct stage {
  int fds[2];   /* this stage's input pipe */
  int out[2];   /* towards the next stage */
};

/* Meant to forward the input into the next stage's pipe. */
static long stage_run(struct stage *st)
{
  return drain_into(st->fds[0], st->fds[1]); /* meant st->out[1] */
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'drain_into' copies what it reads from 'st->fds[0]' into 'st->fds[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'st->fds[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :47:19: note: the copy is made here
  // CHECK-MESSAGES: :134:7: note: both ends of the pipe reach it through this call of 'stage_step'
  // CHECK-MESSAGES: :122:7: note: pipe created here
  // CHECK-MESSAGES-ALONE: :[[@LINE-5]]:10: warning: 'drain_into' reads 'st->fds[0]' until end-of-file, but it writes what it reads into 'st->fds[1]', the write end of the same pipe, which this process holds: end-of-file never comes and the call never returns; pass the descriptor you meant to copy into [pipe-self-deadlock]
  // CHECK-MESSAGES-ALONE: :47:19: note: 'st->fds[1]' is written here
  // CHECK-MESSAGES-ALONE: :134:7: note: both ends of the pipe reach it through this call
  // CHECK-MESSAGES-ALONE: :122:7: note: pipe created here
}

/* The fixed stage: input into the next stage's pipe. */
static long stage_run_ok(struct stage *st)
{
  return drain_into(st->fds[0], st->out[1]);
}

static long stage_step(struct stage *st, int fixed)
{
  return fixed ? stage_run_ok(st) : stage_run(st);
}

/* Points its own fds[1] at the next stage before the copy: 'st->fds[1]' at
 * the copy is not the caller's write end. */
static long stage_run_repointed(struct stage *st)
{
  close(st->fds[1]);
  st->fds[1] = st->out[1];
  return drain_into(st->fds[0], st->fds[1]);
}

static int pipeline_repointed(void)
{
  struct stage st;
  long r;

  if (pipe(st.fds) < 0)
    return -1;
  if (pipe(st.out) < 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  (void)!write(st.fds[1], frame, strlen(frame));
  r = stage_run_repointed(&st);
  close(st.fds[0]);
  close(st.out[0]);
  close(st.out[1]);
  return r == (long)strlen(frame) ? 0 : -1;
}

static int pipeline(int fixed)
{
  struct stage st;
  long r;

  if (pipe(st.fds) < 0)
    return -1;
  if (pipe(st.out) < 0) {
    close(st.fds[0]);
    close(st.fds[1]);
    return -1;
  }
  (void)!write(st.fds[1], frame, strlen(frame));
  if (fixed) {
    close(st.fds[1]); /* all written: the copy ends at end-of-file */
    st.fds[1] = -1;
  }
  r = stage_step(&st, fixed);
  close(st.fds[0]);
  if (!fixed)
    close(st.fds[1]);
  close(st.out[0]);
  close(st.out[1]);
  return fixed && r != -1 ? 0 : -1;
}

/* tee() between two descriptors of one array parameter. */
static ssize_t tee_back(int p[2])
{
  return tee(p[0], p[1], 4096, SPLICE_F_NONBLOCK); /* meant another pipe */
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'tee_back' copies from 'p[0]' into 'p[1]', the write end of the same pipe, with tee(): the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :171:34: note: both ends of the pipe reach it through this call of 'tee_back'
  // CHECK-MESSAGES: :163:7: note: pipe created here
}

static ssize_t tee_across(int from[2], int to[2])
{
  return tee(from[0], to[1], 4096, SPLICE_F_NONBLOCK);
}

/* 1 when tee() refused with EINVAL, 0 when it moved the frame. */
static int tee_demo(int fixed, int *err)
{
  int a[2], b[2];
  ssize_t r;

  if (pipe(a) < 0)
    return -1;
  if (pipe(b) < 0) {
    close(a[0]);
    close(a[1]);
    return -1;
  }
  (void)!write(a[1], frame, strlen(frame));
  r = fixed ? tee_across(a, b) : tee_back(a);
  *err = errno;
  close(a[0]);
  close(a[1]);
  close(b[0]);
  close(b[1]);
  return r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int err = 0;

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "stage-depth3") == 0 || strcmp(s, "stage-depth3-ok") == 0)
    return pipeline(strcmp(s, "stage-depth3-ok") == 0) != 0;
  if (strcmp(s, "stage-repointed-ok") == 0)
    return pipeline_repointed() != 0;
  if (strcmp(s, "tee-array") == 0)
    return !(tee_demo(0, &err) == 1 && err == EINVAL);
  if (strcmp(s, "tee-array-ok") == 0)
    return tee_demo(1, &err) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// With pipe-self-copy enabled, pipe-self-deadlock leaves the copy loop to
// it (one warning per defect); alone, it reports the read that never ends:
// RUN: %check_pipe_tidy --require-analysed -check-suffix=ALONE %s pipe-self-deadlock %t -- -- -I%S

// Reads to end-of-file through a helper that reports its read in its
// result: `read_full(fd, buf, len)` returns 1 when it read len bytes, 0 at
// end-of-file and -errno on a failure, so `while (read_full(...) > 0)`
// reads the descriptor to its end as `while (read(...) > 0)` does. Also a
// helper whose loop reads to end-of-file on every path but those that
// return a failure (`return -EPROTO;` on a bad record): it reads to the
// end unless the data is bad. The descriptor is a local array's element,
// a parameter, or a member of the caller's struct; one helper also closes
// the read end after reading (which does not close the write end).
//
// Each positive holds the write end while it reads: the last read never
// ends (hang). Near misses: a fixed number of records read with
// read_full() (no end-of-file needed), the write end closed first, and a
// helper that returns 0 when it finds a newline (a success that stops
// early, not a failure). Each finishes, and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s loop-on-helper hang
// RUN: %run_example %s replay-param hang
// RUN: %run_example %s replay-struct hang
// RUN: %run_example %s replay-then-close hang
// RUN: %run_example %s counted exit
// RUN: %run_example %s sealed exit
// RUN: %run_example %s until-newline exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>
#include <unistd.h>

struct spool {
  int rd;
  int wr;
};

/* 1 = got len bytes, 0 = clean end-of-file, <0 = error or torn record */
static int read_full(int fd, void *buf, size_t len) {
  char *p = buf;
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -errno;
    if (n == 0)
      return got == 0 ? 0 : -EPIPE;
    got += (size_t)n;
  }
  return 1;
}

static int replay(int fd) {
  char rec[2];
  int rc, records = 0;
  while ((rc = read_full(fd, rec, sizeof rec)) > 0) {
    if (rec[0] == '!')
      return -EPROTO;
    records++;
  }
  return rc < 0 ? rc : records;
}

static int spool_replay(struct spool *sp) {
  char rec[2];
  int rc, records = 0;
  while ((rc = read_full(sp->rd, rec, sizeof rec)) > 0) {
    if (rec[0] == '!')
      return -EPROTO;
    records++;
  }
  return rc < 0 ? rc : records;
}

/* Reads to the end, then closes the read end it was given. */
static int spool_finish(struct spool *sp) {
  int records = spool_replay(sp);
  close(sp->rd);
  sp->rd = -1;
  return records;
}

static int until_newline(int fd) {
  char c;
  ssize_t n;
  while ((n = read(fd, &c, 1)) > 0)
    if (c == '\n')
      return 0;
  return -1;
}

int loop_on_helper(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  (void)!write(p[1], "abcd", 4);
  char rec[2];
  int records = 0;
  while (read_full(p[0], rec, sizeof rec) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    records++;
  close(p[0]);
  close(p[1]);
  return records;
}

int replay_param(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  (void)!write(p[1], "abcd", 4);
  int records = replay(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return records;
}

int replay_struct(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct spool sp = {p[0], p[1]};
  (void)!write(sp.wr, "abcd", 4);
  int records = spool_replay(&sp);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'sp.rd' until end-of-file never ends: this process still holds the write end 'sp.wr'; close 'sp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(sp.rd);
  close(sp.wr);
  return records;
}

int replay_then_close(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct spool sp = {p[0], p[1]};
  (void)!write(sp.wr, "abcd", 4);
  int records = spool_finish(&sp);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'sp.rd' until end-of-file never ends: this process still holds the write end 'sp.wr'; close 'sp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(sp.wr);
  return records;
}

// Near misses.

int counted(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  (void)!write(p[1], "abcd", 4);
  char rec[2];
  int records = 0;
  for (int i = 0; i < 2; i++)
    if (read_full(p[0], rec, sizeof rec) > 0)
      records++;
  close(p[0]);
  close(p[1]);
  return records;
}

int sealed(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct spool sp = {p[0], p[1]};
  (void)!write(sp.wr, "abcd", 4);
  close(sp.wr);
  int records = spool_replay(&sp);
  close(sp.rd);
  return records;
}

int newline(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  (void)!write(p[1], "ab\n", 3);
  int rc = until_newline(p[0]);
  close(p[0]);
  close(p[1]);
  return rc == 0 ? 2 : -1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "loop-on-helper"))
    return loop_on_helper() < 0;
  if (!strcmp(s, "replay-param"))
    return replay_param() < 0;
  if (!strcmp(s, "replay-struct"))
    return replay_struct() < 0;
  if (!strcmp(s, "replay-then-close"))
    return replay_then_close() < 0;
  if (!strcmp(s, "counted"))
    return counted() == 2 ? 0 : 1;
  if (!strcmp(s, "sealed"))
    return sealed() == 2 ? 0 : 1;
  if (!strcmp(s, "until-newline"))
    return newline() == 2 ? 0 : 1;
  return 2;
}

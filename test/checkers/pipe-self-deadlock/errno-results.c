// Helpers that report failure as `return -errno;` (the Linux kernel's and
// many libraries' convention) and success as 0: a pipe maker with an array
// out-parameter, and one that stores the ends in the caller's struct. The
// failure value is negative because errno is positive where a call failed,
// so the caller's `if (rc < 0) return rc;` is the failure path, where no
// pipe exists, and the success path keeps both ends.
//
// Each positive reads the read end to end-of-file while this thread still
// holds the write end: the read never ends (hang). Near miss: the write end
// closed before the read (finishes), and no leak is claimed at the failure
// returns.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s array-out hang
// RUN: %run_example %s struct-out hang
// RUN: %run_example %s closed-first exit

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct spool {
  int rd;
  int wr;
  unsigned long queued;
};

static int fifo_pair(int ends[2]) {
  if (pipe2(ends, O_CLOEXEC) < 0)
    return -errno;
  return 0;
}

static int spool_open(struct spool *sp) {
  int ends[2];
  int rc = fifo_pair(ends);
  if (rc < 0)
    return rc;
  sp->rd = ends[0];
  sp->wr = ends[1];
  sp->queued = 0;
  return 0;
}

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

long array_out(void) {
  int p[2];
  int rc = fifo_pair(p);
  if (rc < 0)
    return rc;
  (void)!write(p[1], "abc", 3);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:12: note: pipe created here
  close(p[0]);
  close(p[1]);
  return n;
}

long struct_out(void) {
  struct spool sp;
  int rc;
  if ((rc = spool_open(&sp)) < 0)
    return rc;
  (void)!write(sp.wr, "abc", 3);
  long n = drain(sp.rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'sp.rd' until end-of-file never ends: this process still holds the write end 'sp.wr'; close 'sp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: pipe created here
  close(sp.rd);
  close(sp.wr);
  return n;
}

long closed_first(void) {
  struct spool sp;
  int rc;
  if ((rc = spool_open(&sp)) < 0)
    return rc;
  (void)!write(sp.wr, "abc", 3);
  close(sp.wr);
  long n = drain(sp.rd);
  close(sp.rd);
  return n;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "array-out"))
    return array_out() < 0;
  if (!strcmp(s, "struct-out"))
    return struct_out() < 0;
  if (!strcmp(s, "closed-first"))
    return closed_first() == 3 ? 0 : 1;
  return 2;
}

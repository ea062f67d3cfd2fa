// pipe-self-deadlock through a helper whose read loop runs until read()
// returns 0 and leaves early only where a read failed (`while ((n =
// read(fd, ...)) != 0) { if (n < 0) { if (errno == EINTR) continue;
// return -1; } ... }`): the helper reads to end-of-file, so a caller
// that still holds the write end waits forever. The helper may be called
// directly or through another helper; the near miss closes the write end
// first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s nested hang
// RUN: %run_example %s closed-first exit

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long count_bytes(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    total += n;
  }
  return total;
}

static int report_size(int fd) {
  long n = count_bytes(fd);
  printf("%ld bytes\n", n);
  return n < 0;
}

int direct(void) {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  if (write(p[1], "hello\n", 6) != 6)
    return 1;
  long n = count_bytes(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return n == 6 ? 0 : 1;
}

int nested(void) {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  if (write(p[1], "hello\n", 6) != 6)
    return 1;
  int rc = report_size(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return rc;
}

int closed_first(void) {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  if (write(p[1], "hello\n", 6) != 6)
    return 1;
  close(p[1]);
  long n = count_bytes(p[0]);
  close(p[0]);
  return n == 6 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "direct"))
    return direct();
  if (!strcmp(s, "nested"))
    return nested();
  if (!strcmp(s, "closed-first"))
    return closed_first();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A loop that writes the rest of a buffer (`while (left > 0) { n =
// write(fd, p, left); ...; left -= n; }`, or `done < len` with `done +=
// n`) writes, in all, what was left when it began, however many turns it
// takes. Written inline, before the same thread reads the pipe back, it
// fills the pipe only when that size is more than the pipe holds: 200000
// bytes block the write forever, a 12-byte message does not. A loop that
// is itself in a loop starts over, and its counter must enter the loop
// with the value it was declared with (not reassigned before it), or the
// amount is not bounded here. A loop that reads each chunk back in the same
// turn never fills the pipe, whatever its total.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s big-down hang
// RUN: %run_example %s big-up hang
// RUN: %run_example %s repeated hang
// RUN: %run_example %s small-down exit
// RUN: %run_example %s small-up exit
// RUN: %run_example %s small-string exit
// RUN: %run_example %s chunked exit

#include <string.h>
#include <unistd.h>

static char big[200000];

// Counting down from sizeof: 200000 bytes before the read-back.
int big_down(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  size_t left = sizeof big;
  const char *p = big;
  while (left > 0) {
    ssize_t n = write(fds[1], p, left);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: writing 200000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+9]]:10: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    if (n < 0)
      break;
    p += n;
    left -= (size_t)n;
  }
  close(fds[1]);
  char buf[64];
  while (read(fds[0], buf, sizeof buf) > 0) {
  }
  close(fds[0]);
  return 0;
}

// Counting up to a constant: the same 200000 bytes.
int big_up(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  const size_t len = 200000;
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fds[1], big + done, len - done);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: writing 200000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+8]]:10: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  close(fds[1]);
  char buf[64];
  while (read(fds[0], buf, sizeof buf) > 0) {
  }
  close(fds[0]);
  return 0;
}

// A short message written 10000 times: the inner loop starts over on each
// turn of the outer one, 120000 bytes in all.
int repeated(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  const char msg[] = "hello, pipe\n";
  for (int i = 0; i < 10000; i++) {
    size_t left = sizeof msg - 1;
    const char *p = msg;
    while (left > 0) {
      ssize_t n = write(fds[1], p, left);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: writing an amount that grows with the loop to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE+10]]:10: note: this thread reads the pipe back here
      // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
      if (n < 0)
        break;
      p += n;
      left -= (size_t)n;
    }
  }
  close(fds[1]);
  char buf[64];
  while (read(fds[0], buf, sizeof buf) > 0) {
  }
  close(fds[0]);
  return 0;
}

// Near-miss: 12 bytes, however many turns the loop takes.
int small_down(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  const char msg[] = "hello, pipe\n";
  size_t left = sizeof msg - 1;
  const char *p = msg;
  while (left > 0) {
    ssize_t n = write(fds[1], p, left);
    if (n < 0)
      break;
    p += n;
    left -= (size_t)n;
  }
  close(fds[1]);
  char buf[64];
  ssize_t got = 0, n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    got += n;
  close(fds[0]);
  return got == 12 ? 0 : 1;
}

// Near-miss: counting up to a small constant.
int small_up(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  const char msg[] = "ping\n";
  size_t done = 0;
  while (done < 5) {
    ssize_t n = write(fds[1], msg + done, 5 - done);
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  close(fds[1]);
  char buf[8];
  ssize_t got = read(fds[0], buf, sizeof buf);
  close(fds[0]);
  return got == 5 ? 0 : 1;
}

// Near-miss: the length of a message, an error text's size.
int small_string(const char *text) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  size_t left = strlen(text);
  while (left > 0) {
    ssize_t n = write(fds[1], text, left);
    if (n <= 0)
      return -1;
    text += n;
    left -= (size_t)n;
  }
  close(fds[1]);
  char buf[64];
  while (read(fds[0], buf, sizeof buf) > 0) {
  }
  close(fds[0]);
  return 0;
}

// Near-miss: 200000 bytes in all, but each chunk is read back in the same
// turn: the pipe never holds more than one chunk.
int chunked_readback(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  size_t left = sizeof big;
  const char *p = big;
  char buf[512];
  while (left > 0) {
    size_t chunk = left < sizeof buf ? left : sizeof buf;
    ssize_t n = write(fds[1], p, chunk);
    if (n <= 0)
      break;
    if (read(fds[0], buf, (size_t)n) != n)
      break;
    p += n;
    left -= (size_t)n;
  }
  close(fds[0]);
  close(fds[1]);
  return left == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  if (!strcmp(s, "big-down"))
    return big_down();
  if (!strcmp(s, "big-up"))
    return big_up();
  if (!strcmp(s, "repeated"))
    return repeated();
  if (!strcmp(s, "small-down"))
    return small_down();
  if (!strcmp(s, "small-up"))
    return small_up();
  if (!strcmp(s, "chunked"))
    return chunked_readback();
  if (!strcmp(s, "small-string"))
    return small_string("no such file or directory\n");
  return 2;
}

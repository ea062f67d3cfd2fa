// Near misses of actionable.c: the same shapes (a goto cascade, a break out
// of a loop, an ASSERT-like macro, a socket pair) with every end closed on
// every path. Silent, and every scenario leaves no descriptor open.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s cascade exit
// RUN: %run_example %s cascade-fails exit
// RUN: %run_example %s loop exit
// RUN: %run_example %s loop-fails exit
// RUN: %run_example %s assert exit
// RUN: %run_example %s pair exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The goto of actionable.c goes to the label that closes both ends. */
int echo_through_pipe(const char *msg, char *out, size_t size, int verbose)
{
  int fds[2];
  size_t len = strlen(msg);
  int rc = -1;

  if (pipe(fds) < 0)
    return -1;
  if (len >= size)
    goto close_both;
  if (write(fds[1], msg, len) != (ssize_t)len)
    goto close_both;
  if (read(fds[0], out, len) != (ssize_t)len)
    goto close_both;
  out[len] = '\0';
  rc = 0;
close_both:
  close(fds[1]);
  close(fds[0]);
  if (rc < 0 && verbose) {
    fprintf(stderr, "echo_through_pipe: failed\n");
    return -1;
  }
  return rc;
}

/* The break of actionable.c, with the closes after the loop. */
long count_via_pipe(int in)
{
  int fds[2];
  char buf[512];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  for (;;) {
    n = read(in, buf, sizeof buf);
    if (n <= 0)
      break;
    if (write(fds[1], buf, (size_t)n) != n || read(fds[0], buf, sizeof buf) != n) {
      total = -1;
      break;
    }
    total += n;
  }
  close(fds[1]);
  close(fds[0]);
  return n < 0 ? -1 : total;
}

/* An ASSERT that aborts: the path ends there, nothing leaks. */
#define ASSERT(cond)                                                           \
  do {                                                                         \
    if (!(cond))                                                               \
      abort();                                                                 \
  } while (0)

int checked_roundtrip(const char *msg)
{
  int fds[2];
  char c;

  ASSERT(msg != NULL);
  if (pipe(fds) < 0)
    return -1;
  ASSERT(write(fds[1], msg, 1) == 1);
  close(fds[1]);
  ASSERT(read(fds[0], &c, 1) == 1);
  close(fds[0]);
  return c;
}

/* Both ends of a socket pair closed on the error path. */
int ping_pair(const char *msg)
{
  int sv[2];
  char buf[64];
  ssize_t n;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return -1;
  if (strlen(msg) >= sizeof buf) {
    close(sv[0]);
    close(sv[1]);
    errno = EMSGSIZE;
    return -1;
  }
  if (write(sv[0], msg, strlen(msg)) < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  n = read(sv[1], buf, sizeof buf);
  close(sv[0]);
  close(sv[1]);
  return (int)n;
}

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds(), fds[2], i;
  char out[16];

  for (i = 0; i < 32; i++) {
    if (strcmp(s, "cascade") == 0) {
      if (echo_through_pipe("hi", out, sizeof out, 0) != 0)
        return 1;
    } else if (strcmp(s, "cascade-fails") == 0) {
      if (echo_through_pipe("far too long for it", out, 4, i % 2) != -1)
        return 1;
    } else if (strcmp(s, "loop") == 0) {
      if (pipe(fds) < 0 || write(fds[1], "abc", 3) != 3 || close(fds[1]) != 0)
        return 1;
      if (count_via_pipe(fds[0]) != 3)
        return 1;
      close(fds[0]);
    } else if (strcmp(s, "loop-fails") == 0) {
      if (count_via_pipe(-1) != -1)
        return 1;
    } else if (strcmp(s, "assert") == 0) {
      if (checked_roundtrip("x") != 'x')
        return 1;
    } else if (strcmp(s, "pair") == 0) {
      if (ping_pair("hi") != 2 ||
          ping_pair("a message far longer than the sixty-four bytes that "
                    "the buffer of ping_pair holds") != -1)
        return 1;
    } else {
      fprintf(stderr, "unknown scenario '%s'\n", s);
      return 2;
    }
  }
  return open_fds() != before;
}

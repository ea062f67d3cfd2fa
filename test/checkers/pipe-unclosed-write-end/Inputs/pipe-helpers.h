/* Pipe helpers shared by near-miss.c and near-miss.cpp. Everything here
 * closes or hands off its write ends correctly: with -header-filter=.* any
 * warning in this header fails the tests that include it. */
#ifndef PIPE_HELPERS_H
#define PIPE_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Reads fd until end-of-file; returns the number of bytes read, or -1. */
static inline ssize_t pipe_drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return n < 0 ? -1 : total;
}

/* Writes all of buf to fd, which stays open (the caller owns it). */
static inline int write_all(int fd, const void *buf, size_t len)
{
  const char *p = (const char *)buf;

  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Makes a pipe whose ends are not inherited by programs started later; the
 * ends go to the caller's array. */
static inline int pipe_cloexec(int fds[2])
{
  return pipe2(fds, O_CLOEXEC);
}

/* Closes both ends of a pipe made by the caller. */
static inline void close_pair(int fds[2])
{
  close(fds[0]);
  close(fds[1]);
}

/* Returns the read end of a new pipe that already holds 's' (at most
 * PIPE_BUF bytes), or -1. */
static inline int pipe_from_string(const char *s)
{
  int fds[2];
  size_t len = strlen(s);

  if (len > PIPE_BUF) {
    errno = EMSGSIZE;
    return -1;
  }
  if (pipe(fds) < 0)
    return -1;
  /* At most PIPE_BUF bytes: one write() puts them all into the empty pipe. */
  if (write(fds[1], s, len) != (ssize_t)len) {
    int saved = errno;
    close(fds[0]);
    close(fds[1]);
    errno = saved;
    return -1;
  }
  close(fds[1]);
  return fds[0];
}

#endif

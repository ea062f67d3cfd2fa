/* I/O helpers shared by the test programs of pipe-leaked-writer,
 * pipe-wait-before-drain and pipe-self-copy: plain loops over read() and
 * write(), no pipe of their own. */
#ifndef PIPE_TIDY_TEST_IO_HELPERS_H
#define PIPE_TIDY_TEST_IO_HELPERS_H

#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MIB (1024 * 1024)

/* Writes all of buf to fd; -1 on an error (EPIPE once the reader is gone). */
static inline int write_all(int fd, const void *buf, size_t len)
{
  const char *p = (const char *)buf;

  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Reads exactly len bytes unless end-of-file or an error comes first. */
static inline ssize_t read_full(int fd, void *buf, size_t len)
{
  char *p = (char *)buf;
  size_t got = 0;

  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n <= 0)
      return n < 0 ? -1 : (ssize_t)got;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

/* Reads fd to end-of-file; returns the number of bytes. */
static inline long drain(int fd)
{
  char buf[8192];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Writes 'bytes' bytes of 'fill' to fd, 'first' as the first byte. */
static inline int write_filled(int fd, char first, char fill, size_t bytes)
{
  char block[4096];

  memset(block, fill, sizeof block);
  block[0] = first;
  while (bytes > 0) {
    size_t k = bytes < sizeof block ? bytes : sizeof block;
    if (write_all(fd, block, k) < 0)
      return -1;
    block[0] = fill;
    bytes -= k;
  }
  return 0;
}

#endif

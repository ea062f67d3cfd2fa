/* I/O helpers shared by the pipe-writer-error-ignored tests (C and C++):
 * plain loops over read() and write(), no pipe of their own, and the
 * scratch directory where the scenarios put the files their writers copy
 * (and leave out the ones whose absence makes a writer fail part-way). */
#ifndef PIPE_WRITER_ERROR_IGNORED_IO_HELPERS_H
#define PIPE_WRITER_ERROR_IGNORED_IO_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

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

/* Reads fd to end-of-file, keeping the first cap - 1 bytes in out
 * (NUL-terminated); returns how many it kept, or -1 on a read error. */
static inline long read_to_end(int fd, char *out, size_t cap)
{
  char buf[4096];
  size_t len = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, buf, k);
    len += k;
  }
  out[len] = '\0';
  return n < 0 ? -1 : (long)len;
}

/* Reads a file of at most cap bytes into buf; returns its size, or -1 when
 * it cannot be opened or read, or is larger than cap (EFBIG). */
static inline ssize_t load_small_file(const char *path, char *buf, size_t cap)
{
  char extra;
  size_t len = 0;
  ssize_t n = 0;
  int fd = open(path, O_RDONLY);

  if (fd < 0)
    return -1;
  while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
    len += (size_t)n;
  if (n >= 0 && len == cap && read(fd, &extra, 1) != 0) {
    errno = EFBIG;
    n = -1;
  }
  close(fd);
  return n < 0 ? -1 : (ssize_t)len;
}

/* ---- the scenarios' scratch directory ------------------------------------ */

static char fixture_dir[64];

/* Creates the scratch directory; -1 on failure. */
static inline int make_fixture_dir(void)
{
  strcpy(fixture_dir, "/tmp/pipe-writer-error-ignored-XXXXXX");
  return mkdtemp(fixture_dir) ? 0 : -1;
}

/* The path of 'name' in the scratch directory, in buf. */
static inline const char *fixture_path(char *buf, size_t cap, const char *name)
{
  snprintf(buf, cap, "%s/%s", fixture_dir, name);
  return buf;
}

/* Creates the file 'name' in the scratch directory with 'text' in it. */
static inline int write_fixture(const char *name, const char *text)
{
  char path[256];
  int fd = open(fixture_path(path, sizeof path, name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc;

  if (fd < 0)
    return -1;
  rc = write_all(fd, text, strlen(text));
  close(fd);
  return rc;
}

/* Removes the scratch directory and the files in it. */
static inline void remove_fixture_dir(void)
{
  char path[256];
  struct dirent *e;
  DIR *d = opendir(fixture_dir);

  if (!d)
    return;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      unlink(fixture_path(path, sizeof path, e->d_name));
  closedir(d);
  rmdir(fixture_dir);
}

#endif

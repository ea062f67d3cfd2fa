/* The second translation unit of several-translation-units.c: a helper
 * whose body the analysis reads, and a pipe whose write end is left open
 * while a child reads it. */
#include <unistd.h>

int reader(int fd);

static int write_all(int fd, const char *p, size_t n)
{
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0)
      return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

int second_unit(void)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  write_all(fds[1], "x", 1);
  if (fork() == 0)
    _exit(reader(fds[0]));
  close(fds[0]);
  return 0;
}

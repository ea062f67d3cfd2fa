// Runner self-test input: a bug the checks cannot see by design, so the
// runner must count it as missed. The pipe is made through a function
// pointer taken from a table at run time, and the engine never guesses
// what a call through such a pointer does. (A pointer that every call
// gives the same function is followed: that would be found.)
// CROSSES: function pointer (the pipe is made by a call through a pointer)
// EXPECT: pipe-self-deadlock collect_banner banner hang
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

typedef int (*pipe_maker)(int fds[2]);

static int make_pipe(int fds[2])
{
  return pipe(fds);
}

static int make_pipe_cloexec(int fds[2])
{
  return pipe2(fds, O_CLOEXEC);
}

static const pipe_maker makers[] = {make_pipe, make_pipe_cloexec};

static size_t collect_banner(pipe_maker mk, char *out, size_t cap)
{
  int fds[2];
  size_t len = 0;
  ssize_t n;

  if (mk(fds) < 0)
    return 0;
  dprintf(fds[1], "SERVICE READY\n");
  /* The loop waits for an end-of-file that only this process can cause. */
  while ((n = read(fds[0], out + len, cap - len - 1)) > 0)
    len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  close(fds[1]);
  return len;
}

int main(int argc, char **argv)
{
  char buf[256];
  (void)argv;
  return collect_banner(makers[argc > 2], buf, sizeof buf) == 0;
}

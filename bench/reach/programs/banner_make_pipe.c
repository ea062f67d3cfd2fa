// reach: a make_pipe() wrapper (out-parameter) and a caller that reads the
// reply to end-of-file while it still holds the write end itself.
// CROSSES: function boundary (pipe created in a wrapper)
// EXPECT: pipe-self-deadlock collect_banner banner hang
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int make_pipe(int fds[2])
{
  if (pipe2(fds, O_CLOEXEC) < 0) {
    perror("pipe2");
    return -1;
  }
  return 0;
}

static size_t collect_banner(char *out, size_t cap)
{
  int fds[2];
  size_t len = 0;
  ssize_t n;

  if (make_pipe(fds) < 0)
    return 0;
  dprintf(fds[1], "SERVICE READY %d\n", (int)getpid());
  /* Meant to close fds[1] first: the loop waits for an end-of-file that
     only this process can cause. */
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
  if (argc > 1 && strcmp(argv[1], "banner") == 0) {
    size_t n = collect_banner(buf, sizeof buf);
    printf("%zu bytes: %s", n, buf);
    return 0;
  }
  return 2;
}

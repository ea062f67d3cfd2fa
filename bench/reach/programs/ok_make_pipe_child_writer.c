// reach (near-miss): a make_pipe() wrapper, a forked child that writes the
// banner, and a parent that closes its write end before the read loop.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: banner exit
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int make_pipe(int fds[2])
{
  return pipe2(fds, O_CLOEXEC);
}

static size_t collect_banner(char *out, size_t cap)
{
  int fds[2];
  size_t len = 0;
  ssize_t n;
  pid_t pid;

  if (make_pipe(fds) < 0)
    return 0;
  if ((pid = fork()) == 0) {
    close(fds[0]);
    dprintf(fds[1], "SERVICE READY %d\n", (int)getpid());
    _exit(0);
  }
  close(fds[1]);
  while ((n = read(fds[0], out + len, cap - len - 1)) > 0)
    len += (size_t)n;
  out[len] = '\0';
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return len;
}

int main(int argc, char **argv)
{
  char buf[256];
  if (argc > 1 && !strcmp(argv[1], "banner"))
    return collect_banner(buf, sizeof buf) > 0 ? 0 : 1;
  return 2;
}

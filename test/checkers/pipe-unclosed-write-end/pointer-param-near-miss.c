// Near misses of pipe-unclosed-write-end in functions that keep a pipe in
// places their caller gave them, shapes taken from real code that the
// engine once misjudged when it began to follow those places:
//
// - make_pair(): pipe2(fds, O_CLOEXEC) with a fallback to pipe(fds) when
//   the kernel lacks pipe2(); the fallback runs only when pipe2() failed,
//   which the engine cannot tell from a flag computed with '|'. The ends
//   the fallback overwrites are not reported.
// - start_tool(): makes the pipe only when the caller asked for one end
//   (`if (in || out)`), and gives that end back through the pointer it
//   passed; later tests of the same pointers agree with the first.
//
// Both run to completion and leak nothing (counted with open_fds()).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s fallback exit
// RUN: %run_example %s tool exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

static int open_fds(void)
{
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

int make_pair(int fds[2], int flags)
{
  int pipe_flags = O_CLOEXEC | flags;

  if (pipe2(fds, pipe_flags)) {
    if (errno != ENOSYS && errno != EINVAL)
      return -1;
    pipe_flags = 0;
  }
  if (pipe_flags == 0 && pipe(fds))
    return -1;
  return 0;
}

pid_t start_tool(int *in, int *out)
{
  int p[2] = {-1, -1};
  pid_t pid;

  if (in != NULL || out != NULL)
    if (pipe(p) != 0)
      return -1;
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    if (in == NULL) {
      dup2(null, STDIN_FILENO);
    } else {
      close(p[1]);
      dup2(p[0], STDIN_FILENO);
      close(p[0]);
    }
    if (out == NULL) {
      dup2(null, STDOUT_FILENO);
    } else {
      close(p[0]);
      dup2(p[1], STDOUT_FILENO);
      close(p[1]);
    }
    execlp("cat", "cat", (char *)NULL);
    _exit(127);
  }
  if (out != NULL) {
    close(p[1]);
    *out = p[0];
  } else if (in != NULL) {
    close(p[0]);
    *in = p[1];
  }
  return pid;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();

  if (strcmp(s, "fallback") == 0) {
    int fds[2];
    if (make_pair(fds, 0) != 0)
      return 1;
    close(fds[0]);
    close(fds[1]);
    return open_fds() != before;
  }
  if (strcmp(s, "tool") == 0) {
    int in = -1;
    pid_t pid = start_tool(&in, NULL);
    if (pid < 0)
      return 1;
    write(in, "x\n", 2);
    close(in);
    waitpid(pid, NULL, 0);
    return open_fds() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

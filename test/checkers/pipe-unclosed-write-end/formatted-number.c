// pipe-unclosed-write-end: a descriptor whose number is only formatted into
// text (`snprintf(arg, n, "--status-fd=%d", fds[1])`, apt's dpkg call)
// stays where it was: nobody got the descriptor, and this function still
// has to close it. The number was taken as handed off, and the leak on the
// early return below was never reported. The leak scenario calls the
// function 8 times and aborts when exactly 16 more descriptors are open;
// the near-miss closes both ends on every path and finishes.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s status-fd-leak abort
// RUN: %run_example %s status-fd-closed exit

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_descriptors(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

/* Builds the command line of a child that reports on fds[1]; with nothing
 * to do, it returns early. */
int run_step(int nothing_to_do, char *cmdline, size_t len)
{
  int fds[2];
  char arg[32];

  if (pipe(fds) < 0)
    return -1;
  snprintf(arg, sizeof arg, "--status-fd=%d", fds[1]);
  if (nothing_to_do)
    return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'run_step' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  snprintf(cmdline, len, "dpkg %s", arg);
  close(fds[1]);
  close(fds[0]);
  return 1;
}

/* Near miss: the same, closing both ends on the early return too. */
int run_step_closed(int nothing_to_do, char *cmdline, size_t len)
{
  int fds[2];
  char arg[32];

  if (pipe(fds) < 0)
    return -1;
  snprintf(arg, sizeof arg, "--status-fd=%d", fds[1]);
  if (nothing_to_do) {
    close(fds[1]);
    close(fds[0]);
    return 0;
  }
  snprintf(cmdline, len, "dpkg %s", arg);
  close(fds[1]);
  close(fds[0]);
  return 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char cmd[64];
  int before = open_descriptors();

  if (strcmp(s, "status-fd-leak") == 0) {
    for (int i = 0; i < 8; i++)
      run_step(1, cmd, sizeof cmd);
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "status-fd-closed") == 0) {
    for (int i = 0; i < 8; i++)
      run_step_closed(1, cmd, sizeof cmd);
    return open_descriptors() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A flag tested before and after a retry loop (sudo's exec_pty(), reduced
// in bench/repro/sudo_exec_pty_flags.c): the socket pair is made under the
// flag and handed off under the same test after the loop. The loop adds to
// the amount written on every turn, so its head is widened; the states that
// made the pair and those that did not are kept apart there, and so is the
// fact that tells them apart: no path leaks the pair, and nothing is
// reported. The program runs both ways and ends with nothing left open.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s flags exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CD_INTERCEPT 0x20

struct details {
  int flags;
};

static int handed[8];
static int nhanded;
static void keep(int fd)
{
  if (nhanded < 8)
    handed[nhanded++] = fd;
}
/* Called through pointers: bodies the check does not see. */
static void (*volatile give_to_child)(int) = keep;
static void (*volatile intercept_setup)(int) = keep;

int exec_like(struct details *details, int *status)
{
  int sv[2], intercept_sv[2] = {-1, -1};

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    abort();
  if (details->flags & CD_INTERCEPT) {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, intercept_sv) == -1)
      abort();
    give_to_child(intercept_sv[1]);
  }

  /* Retry until the peer has it. */
  while (send(sv[0], status, sizeof(*status), 0) == -1)
    continue;
  close(sv[0]);
  close(sv[1]);

  if (details->flags & CD_INTERCEPT)
    intercept_setup(intercept_sv[0]); /* a hand-off */
  return 0;
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
  struct details with = {CD_INTERCEPT}, without = {0};
  int status = 0, before = open_fds(), i;

  if (argc < 2 || strcmp(argv[1], "flags") != 0)
    return 2;
  exec_like(&without, &status);
  exec_like(&with, &status);
  for (i = 0; i < nhanded; i++)
    close(handed[i]);
  return open_fds() != before;
}

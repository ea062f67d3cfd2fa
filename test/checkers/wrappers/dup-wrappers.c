// dup() and dup2() wrappers recognised from their bodies: xdup() and
// xdup2() die when the call fails, dup_logged() wraps xdup() (depth 2). The
// copy they make is tracked like dup()'s, and xdup2(in[0], 0) in a child
// makes in[0] its standard input. Functions that only look like wrappers
// are refused (dup_then_close() also closes the descriptor it is given,
// dup_if() dups on some paths only): taken for wrappers, they would make the
// check report an end that is closed or a copy that does not exist, so what
// they are given is handed off and nothing is reported for them.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s depth2-ok exit
// RUN: %run_example %s refused exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t drain(int fd)
{
  char buf[256];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int xdup(int fd)
{
  int copy = dup(fd);

  if (copy < 0) {
    perror("dup");
    exit(1);
  }
  return copy;
}

/* A wrapper of the wrapper: still one dup of its parameter. */
static int dup_logged(int fd)
{
  fprintf(stderr, "dup of %d\n", fd);
  return xdup(fd);
}

/* Not a wrapper: it closes what it is given. */
static int dup_then_close(int fd)
{
  int copy = dup(fd);

  close(fd);
  return copy;
}

/* Not a wrapper: it dups on some paths only. */
static int dup_if(int fd, int really)
{
  if (!really)
    return fd;
  return dup(fd);
}

/* Returns the read end of a pipe holding 'msg', written through a copy. */
int message_pipe(const char *msg)
{
  int fds[2];
  int copy;

  if (pipe(fds) < 0)
    return -1;
  copy = dup_logged(fds[1]);
  close(fds[1]);
  if (*msg == '\0')
    return fds[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'copy' of the pipe is still open when 'message_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:10: note: duplicate created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(copy, "%s\n", msg);
  close(copy);
  return fds[0];
}

/* The same through the look-alikes: correct as written. */
int message_pipe_refused(const char *msg)
{
  int fds[2];
  int copy, other;

  if (pipe(fds) < 0)
    return -1;
  copy = dup_then_close(fds[1]);
  dprintf(copy, "%s\n", msg);
  other = dup_if(copy, 0);
  close(other);
  return fds[0];
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "depth2") == 0)
    return drain(message_pipe("")) != 0;
  if (strcmp(s, "depth2-ok") == 0)
    return drain(message_pipe("hi")) != 3;
  if (strcmp(s, "refused") == 0)
    return drain(message_pipe_refused("hi")) != 3;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain: poll() reporting POLLOUT on a child's standard
// input says only that the pipe has some room, not room for the whole
// write. A blocking write of more than the pipe holds then waits for the
// child to read the rest; the child, a filter, stops reading once its own
// output pipe is full, and the parent, stuck in write(), never gets back to
// the poll loop that reads that output: both wait forever (hang). Only
// O_NONBLOCK on the parent's write end makes the write return early.
// Shapes: the write in the loop itself, and through a helper that writes
// all of the rest. The near-misses make the write end non-blocking
// (directly, or through a set_nonblock() helper of this file), or write
// at most one page per poll(): they finish and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s pollout-write hang
// RUN: %run_example %s pollout-helper hang
// RUN: %run_example %s pollout-nonblock exit
// RUN: %run_example %s pollout-nonblock-helper exit
// RUN: %run_example %s pollout-page exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

#define INPUT (1024 * 1024)

/* Starts `cat` reading in[0] and writing out[1]; the parent keeps in[1]
 * and out[0]. */
static pid_t start_cat(int in[2], int out[2])
{
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("cat", "cat", (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int set_nonblock(int fd)
{
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0)
    return -1;
  return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Makes the two pipes and starts `cat`; the parent's ends in *w and *r. */
static pid_t open_filter(int *w, int *r)
{
  int in[2], out[2];
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = start_cat(in, out);
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    return -1;
  }
  *w = in[1];
  *r = out[0];
  return pid;
}

static char input[INPUT];

/* The write end blocks: the whole rest in one write() after POLLOUT. */
static long filter_write(void)
{
  char got[65536];
  int in[2], out[2], status;
  size_t off = 0;
  long total = 0;
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = start_cat(in, out);
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  close(in[0]);
  close(out[1]);
  for (;;) {
    struct pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, off < sizeof input ? 2 : 1, -1) < 0)
      break;
    if (off < sizeof input && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input + off, sizeof input - off);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: poll() said the standard input 'in[1]' of child process 'pid' has room, but this blocking write of 1048576 bytes waits until all of it is written: once the child's output pipe 'out[0]' is full (65536 bytes) the child stops reading its input, and this write never returns to the poll() loop that reads it; make 'in[1]' non-blocking (O_NONBLOCK), or write at most one page after each poll() [pipe-wait-before-drain]
      // CHECK-MESSAGES: :108:9: note: child process 'pid' starts here; it makes 'out[1]' its standard output, where it may write any amount
      // CHECK-MESSAGES: :103:7: note: output pipe created here
      // CHECK-MESSAGES: :122:9: note: taking the true branch
      if (n < 0)
        break;
      off += (size_t)n;
      if (off == sizeof input)
        close(in[1]);
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (off < sizeof input)
    close(in[1]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* The same through open_filter() and write_all(): blocks the same way. */
static long filter_helper(void)
{
  char got[65536];
  int w, r, status;
  int fed = 0;
  long total = 0;
  pid_t pid = open_filter(&w, &r);

  if (pid < 0)
    return -1;
  for (;;) {
    struct pollfd pfd[2] = {{r, POLLIN, 0}, {fed ? -1 : w, POLLOUT, 0}};
    if (poll(pfd, 2, -1) < 0)
      break;
    if (!fed && (pfd[1].revents & (POLLOUT | POLLERR))) {
      if (write_all(w, input, sizeof input) < 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: poll() said the standard input 'w' of child process 'pid' has room, but this blocking write of 1048576 bytes waits{{.*}}[pipe-wait-before-drain]
      // CHECK-MESSAGES: :157:15: note: child process 'pid' starts here; it makes 'out[1] in open_filter()' its standard output{{.*}}
      // CHECK-MESSAGES: :157:15: note: output pipe created here
      // CHECK-MESSAGES: :165:9: note: taking the true branch
        break;
      close(w);
      fed = 1;
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(r, got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (!fed)
    close(w);
  close(r);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* Near-misses: the same loop with a non-blocking write end (fcntl() here,
 * or set_nonblock()), or with a blocking one written one page at a time. */
static long filter_nonblock(void)
{
  char got[65536];
  int in[2], out[2], status;
  size_t off = 0;
  long total = 0;
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = start_cat(in, out);
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  close(in[0]);
  close(out[1]);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  for (;;) {
    struct pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, off < sizeof input ? 2 : 1, -1) < 0)
      break;
    if (off < sizeof input && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input + off, sizeof input - off);
      if (n < 0 && errno != EAGAIN)
        break;
      if (n > 0)
        off += (size_t)n;
      if (off == sizeof input)
        close(in[1]);
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (off < sizeof input)
    close(in[1]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

static long filter_nonblock_helper(void)
{
  char got[65536];
  int in[2], out[2], status;
  size_t off = 0;
  long total = 0;
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = start_cat(in, out);
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  close(in[0]);
  close(out[1]);
  set_nonblock(in[1]);
  for (;;) {
    struct pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, off < sizeof input ? 2 : 1, -1) < 0)
      break;
    if (off < sizeof input && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input + off, sizeof input - off);
      if (n < 0 && errno != EAGAIN)
        break;
      if (n > 0)
        off += (size_t)n;
      if (off == sizeof input)
        close(in[1]);
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (off < sizeof input)
    close(in[1]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

static long filter_page(void)
{
  char got[65536];
  int in[2], out[2], status;
  size_t off = 0;
  long total = 0;
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = start_cat(in, out);
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  close(in[0]);
  close(out[1]);
  for (;;) {
    struct pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, off < sizeof input ? 2 : 1, -1) < 0)
      break;
    if (off < sizeof input && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input + off, 4096);
      if (n < 0 && errno != EAGAIN)
        break;
      if (n > 0)
        off += (size_t)n;
      if (off == sizeof input)
        close(in[1]);
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (off < sizeof input)
    close(in[1]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  long got;

  signal(SIGPIPE, SIG_IGN);
  memset(input, 'x', sizeof input);
  if (strcmp(s, "pollout-write") == 0)
    got = filter_write();
  else if (strcmp(s, "pollout-helper") == 0)
    got = filter_helper();
  else if (strcmp(s, "pollout-nonblock") == 0)
    got = filter_nonblock();
  else if (strcmp(s, "pollout-nonblock-helper") == 0)
    got = filter_nonblock_helper();
  else if (strcmp(s, "pollout-page") == 0)
    got = filter_page();
  else {
    fprintf(stderr, "unknown scenario '%s'\n", s);
    return 2;
  }
  return got == INPUT ? 0 : 1;
}

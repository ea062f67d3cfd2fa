// One warning per defect when no path closes the ends (issue #18, item 2):
// no branch decides to skip the close, the close is simply missing, so the
// leaks of the same ends at every exit are one warning at the first exit
// (in source order), with a note at each other exit. No fix-it: no single
// edit closes them at every exit. A function where some path closes the
// ends keeps one warning per deciding branch. Each leak scenario calls the
// function 8 times and aborts when exactly 16 more descriptors are open
// (both ends leak on every call), as the warnings say.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed mixed-leak:exit --run-fixed three-a:abort
// RUN: %run_example %s three-a abort
// RUN: %run_example %s three-b abort
// RUN: %run_example %s three-c abort
// RUN: %run_example %s chan-a abort
// RUN: %run_example %s chan-b abort
// RUN: %run_example %s mixed-leak abort
// RUN: %run_example %s mixed-closed exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Three returns after the pipe is made, none of which closes it. */
static int three_ways(int mode)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (mode == 0)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'three_ways' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: 'three_ways' also returns here with them open
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'three_ways' also returns here with them open
    // CHECK-FIXES: {{^}}    return 0;{{$}}
  if (write(fds[1], "x", 1) != 1 || mode == 1)
    return 1;
  return 2;
}

/* A pipe made two calls down, kept in a struct; two returns, neither closes
 * it. */
struct chan {
  int fds[2];
};

static int open_pipe(int fds[2]) { return pipe(fds); }
static int open_chan(struct chan *c) { return open_pipe(c->fds); }

static int chan_probe(int early)
{
  struct chan c;

  if (open_chan(&c) < 0)
    return -1;
  if (early)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'chan_probe' leaks the write end 'c.fds[1]' (and the read end 'c.fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:3: note: 'chan_probe' also returns here with them open
  write(c.fds[1], "x", 1);
  return 1;
}

/* Near-miss for the merge: one path closes the ends, so the branch that
 * skips the close decides the leak, and the warning stays there, with its
 * fix-it. */
static int mixed(int keep)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (keep)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'mixed' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    {{[{]}} close(fds[1]); close(fds[0]); return 0; }{{$}}
  close(fds[1]);
  close(fds[0]);
  return 1;
}

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    n += fcntl(fd, F_GETFD) != -1;
  return n;
}

/* Each scenario calls one function 8 times. It aborts when both ends leak
 * on each call (16 more descriptors open), exits 0 when none leak, and
 * exits 1 otherwise. */
int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int i, before = open_fds(), after;

  for (i = 0; i < 8; i++) {
    if (strcmp(s, "three-a") == 0)
      three_ways(0);
    else if (strcmp(s, "three-b") == 0)
      three_ways(1);
    else if (strcmp(s, "three-c") == 0)
      three_ways(2);
    else if (strcmp(s, "chan-a") == 0)
      chan_probe(1);
    else if (strcmp(s, "chan-b") == 0)
      chan_probe(0);
    else if (strcmp(s, "mixed-leak") == 0)
      mixed(1);
    else if (strcmp(s, "mixed-closed") == 0)
      mixed(0);
    else
      return 2;
  }
  after = open_fds();
  if (after - before == 16)
    abort();
  return after != before;
}

// No fix-it before a return whose value still uses an end that leaks: a
// close() inserted there would make the call in the return act on a closed
// descriptor. In probe_or_close(), where one path closes the ends, the two
// leaks (one missing cleanup) are one warning at the early return, with a
// note at the late one: the early return, which uses no end, could be
// closed, but that edit would fix one of the two leaks and leave the
// warning: no fix-it is offered, neither -fix nor -fix-notes changes the
// file, and the note (close 'fds[1]' and 'fds[0]' here) says where a
// close belongs. In probe(), no path
// closes them: one warning at the first return, a note at the other, and
// no fix-it (no one edit closes them at both returns).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed leak-early:abort --run-fixed leak-late:abort \
// RUN:   --run-fixed probe-early:abort --run-fixed probe-late:abort
// RUN: %check_pipe_tidy -check-suffix=NOTES %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed leak-early:abort --run-fixed leak-late:abort -- -fix-notes
// RUN: %run_example %s leak-early abort
// RUN: %run_example %s leak-late abort
// RUN: %run_example %s probe-early abort
// RUN: %run_example %s probe-late abort
// RUN: %run_example %s closed exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes one byte into a fresh pipe and returns what write() said; no path
 * closes the pipe. */
static int probe(int early)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (early)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'probe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:3: note: 'probe' also returns here with them open
    // CHECK-FIXES: {{^}}    return 0;{{$}}
  return (int)write(fds[1], "x", 1);
  // CHECK-FIXES: {{^}}  return (int)write(fds[1], "x", 1);{{$}}
}

/* The same, except that a caller that asks for it gets the pipe closed. */
static int probe_or_close(int early, int tidy)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (early)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'probe_or_close' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: close 'fds[1]' and 'fds[0]' here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    return 0;{{$}}
    // CHECK-FIXES-NOTES: {{^}}    return 0;{{$}}
  if (tidy) {
    close(fds[1]);
    close(fds[0]);
    return 1;
  }
  return (int)write(fds[1], "x", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: 'probe_or_close' also leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
  // CHECK-FIXES: {{^}}  return (int)write(fds[1], "x", 1);{{$}}
  // CHECK-FIXES-NOTES: {{^}}  return (int)write(fds[1], "x", 1);{{$}}
}

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    n += fcntl(fd, F_GETFD) != -1;
  return n;
}

/* Each scenario calls one function 8 times on its path. It aborts when
 * both ends leak each time, as the warning says (16 more descriptors open),
 * and exits 0 when none leak (after the fix of the early return of
 * probe_or_close()); anything else is a failure (exit 1). */
int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int i, before = open_fds(), after;

  for (i = 0; i < 8; i++) {
    int r;
    if (strcmp(s, "leak-early") == 0)
      r = probe_or_close(1, 0);
    else if (strcmp(s, "leak-late") == 0)
      r = probe_or_close(0, 0);
    else if (strcmp(s, "closed") == 0)
      r = probe_or_close(0, 1);
    else if (strcmp(s, "probe-early") == 0)
      r = probe(1);
    else if (strcmp(s, "probe-late") == 0)
      r = probe(0);
    else
      return 2;
    if (r < 0)
      return 1;
  }
  after = open_fds();
  if (after - before == 16)
    abort();
  return after != before;
}

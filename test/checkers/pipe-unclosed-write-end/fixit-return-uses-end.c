// No fix-it before a return whose value still uses an end that leaks: a
// close() inserted there would make the call in the return act on a closed
// descriptor. The warning stays (each call leaks the ends); the early return
// of the same function, which uses no end, gets its fix-it.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed leak-early:exit --run-fixed leak-late:abort
// RUN: %run_example %s leak-early abort
// RUN: %run_example %s leak-late abort

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes one byte into a fresh pipe and returns what write() said. */
static int probe(int early)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (early)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'probe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    {{[{]}} close(fds[1]); close(fds[0]); return 0; }{{$}}
  return (int)write(fds[1], "x", 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'probe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
  // CHECK-FIXES: {{^}}  return (int)write(fds[1], "x", 1);{{$}}
}

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    n += fcntl(fd, F_GETFD) != -1;
  return n;
}

/* Each scenario calls probe() 8 times on its path. It aborts when both ends
 * leak each time, as the warning says (16 more descriptors open), and exits
 * 0 when none leak (after the fix of the early return); anything else is a
 * failure (exit 1). */
int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int early = strcmp(s, "leak-early") == 0;
  int i, before = open_fds(), after;

  if (!early && strcmp(s, "leak-late") != 0)
    return 2;
  for (i = 0; i < 8; i++)
    if (probe(early) < 0)
      return 1;
  after = open_fds();
  if (after - before == 16)
    abort();
  return after != before;
}

// An ordinary program kept in a directory named tests/, in a file named
// test_*.c: no test framework call, no test macro, so its leaks are
// reported (a path alone does not make a test program). A project whose
// tests use a framework of its own names its registration function in
// TestProgramFunctions; TestFileRegex (empty by default) opts in by path.
// A program started beside a pipe that nothing reads only leaks the end:
// the words say so. Each leak scenario counts what leaked.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=OWN %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestProgramFunctions, value: 'register_check;suite::run'}]}"
// RUN: %check_pipe_tidy -check-suffixes=OWN %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestFileRegex, value: '(^|/)tests/'}]}"
// RUN: %run_example %s leak exit
// RUN: %run_example %s beside exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

static int open_channel(int fail)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (fail)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'open_channel' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[0]);
  close(fds[1]);
  return 0;
}

/* Starts 'cmd' beside a pipe that nothing reads. */
static int run_beside_pipe(const char *cmd)
{
  int fds[2];
  int status;

  if (pipe(fds) < 0)
    return -1;
  status = system(cmd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: write end 'fds[1]' is inherited by the child that 'system' starts because it lacks O_CLOEXEC; nothing here reads the pipe, so the child only leaks the end; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  return status;
}

/* The project's own registry, which TestProgramFunctions can name. */
static const char *registered;
static void register_check(const char *name) { registered = name; }

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds(), i;

  register_check(s);
  if (strcmp(registered, "leak") == 0) {
    for (i = 0; i < 8; i++)
      if (open_channel(1) == 0)
        return 1;
    return open_fds() - before != 16;
  }
  if (strcmp(registered, "beside") == 0)
    /* The shell sees the pipe's ends (3 and 4) open: inherited. */
    return run_beside_pipe("[ -e /proc/self/fd/3 ] && [ -e /proc/self/fd/4 ]") != 0;
  return 2;
}

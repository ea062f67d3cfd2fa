// A fork's result stored in a member of a struct whose address was given
// away (sudo's `ec.monitor_pid = sudo_debug_fork(); switch
// (ec.monitor_pid)`): the engine does not follow such a member, but the
// value just stored is still known to the test right after it, until the
// next call (AbstractState.h, FreshStores). So the child, which always
// ends in _exit(), does not take the switch's way out into the parent's
// code: the leak at the return is the parent's (the second socket pair's
// end 'isv[1]' is never closed there), once, in the parent's words, not
// also "in the child process of fork()". The program leaks one descriptor
// per call.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "count-fds.h"

struct closure {
  pid_t monitor_pid;
  int status;
};

static void note_closure(struct closure *c) { c->status = 0; }

static int run_monitor(int *keep)
{
  int sv[2], isv[2];
  struct closure ec;
  char c = 0;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    return -1;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, isv) == -1) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  note_closure(&ec);
  ec.monitor_pid = fork();
  switch (ec.monitor_pid) {
  case -1:
    perror("fork");
    exit(1);
  case 0:
    close(sv[0]);
    close(isv[0]);
    close(isv[1]);
    if (write(sv[1], "m", 1) != 1)
      _exit(2);
    _exit(0);
  }
  close(sv[1]);
  if (read(sv[0], &c, 1) != 1)
    c = 0;
  close(sv[0]);
  close(isv[0]);
  *keep = -1;
  waitpid(ec.monitor_pid, NULL, 0);
  return c == 'm' ? 0 : -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'run_monitor' leaks the end 'isv[1]' of the socket pair when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-28]]:7: note: socket pair created here
  // CHECK-MESSAGES: :[[@LINE-22]]:3: note: no case of the switch matches; going on after it
}

int main(int argc, char **argv)
{
  int keep = -1, rc = 0, before = open_fds();

  if (argc < 2 || strcmp(argv[1], "leaks") != 0)
    return 2;
  for (int i = 0; i < 3 && rc == 0; i++)
    rc = run_monitor(&keep);
  /* Three calls, three descriptors left behind. */
  return rc == 0 && open_fds() - before == 3 ? 0 : 1;
}

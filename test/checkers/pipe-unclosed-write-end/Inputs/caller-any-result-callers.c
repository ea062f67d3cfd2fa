/* The callers of caller-any-result-xtu.c's functions, in another file.
 * Each ignores the result (or gets none). xany_run_ignored() reports and
 * _exit()s; xany_setup() returns to xany_run_void(), which exits (depth
 * 2); xany_run_waits() waits for the logger child first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-any-result.h"

void xany_run_ignored(const char *name)
{
  pid_t pid;

  xany_start(&pid, name);
  dprintf(2, "start failed: %d\n", errno);
  _exit(1);
}

void xany_setup(pid_t *pid, const char *name)
{
  xany_start_v(pid, name);
}

void xany_run_void(const char *name)
{
  pid_t pid;

  xany_setup(&pid, name);
  exit(1);
}

void xany_run_waits(const char *name)
{
  pid_t pid;

  xany_start_w(&pid, name);
  waitpid(pid, NULL, 0);
  _exit(1);
}

/* The callers of returns-only-on-failure.c's functions, in another file.
 * rof_show() and rof_monitor() end the process when the call comes back;
 * rof_start(), rof_start_v(), rof_start_r(), rof_start_p() and rof_start_f()
 * try three times and go on, counting the
 * descriptors each failed try left open. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "count-fds.h"
#include "returns-only-on-failure.h"

int rof_show(const char *viewer)
{
  show_in_viewer(viewer, "hello\n");
  fprintf(stderr, "could not show the text\n");
  exit(1);
}

int rof_monitor(const char *prog)
{
  if (run_monitored(prog, "-x") < 0)
    _exit(1);
  return 0;
}

int rof_start(const char *viewer)
{
  int before = open_fds();
  for (int i = 0; i < 3; i++)
    if (start_viewer(viewer, "hello\n") > 0)
      return 1;
  return open_fds() - before;
}

int rof_start_v(const char *viewer)
{
  int before = open_fds();
  pid_t pid = -1;
  for (int i = 0; i < 3; i++)
    start_viewer_v(viewer, "hello\n", &pid);
  return open_fds() - before;
}

int rof_start_r(const char *viewer)
{
  int before = open_fds();
  pid_t pid = -1;
  for (int i = 0; i < 3; i++)
    start_viewer_r(viewer, "hello\n", &pid);
  return open_fds() - before;
}

int rof_start_p(const char *viewer)
{
  int before = open_fds();
  for (int i = 0; i < 3; i++)
    start_viewer_p(viewer, "hello\n");
  return open_fds() - before;
}

int rof_start_f(const char *viewer)
{
  int before = open_fds();
  for (int i = 0; i < 3; i++)
    start_viewer_f(viewer, "hello\n");
  return open_fds() - before;
}

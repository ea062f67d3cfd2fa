/* The second file of the caller-facts.c program: the callers of its
 * functions. xtu_run_job() ends the process when xtu_start_job() fails
 * (depth 1); xtu_relay_setup() returns the failure of xtu_open_relay() to
 * its caller in caller-facts-top.c, which exits (depth 2). Of the two
 * callers of xtu_start_worker(), this one exits and the one in
 * caller-facts-top.c carries on. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "caller-facts.h"

long xtu_drain(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

void xtu_run_job(const char *name)
{
  int r;

  if (xtu_start_job(&r, name) < 0) {
    perror("xtu_start_job");
    exit(1);
  }
  printf("%ld\n", xtu_drain(r));
  close(r);
}

int xtu_relay_setup(const char *name, int *rfd)
{
  if (xtu_open_relay(rfd, name) < 0)
    return -1;
  return 0;
}

void xtu_run_worker_checked(const char *name)
{
  int r;

  if (xtu_start_worker(&r, name) != 0)
    exit(1);
  xtu_drain(r);
}

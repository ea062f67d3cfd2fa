/* The third file of the caller-facts.c program: the caller of
 * xtu_relay_setup(), which exits when it fails, and a caller of
 * xtu_start_worker() that carries on after a failure and reads the pipe
 * whose write end the failed call left open. */
#include <stdio.h>
#include <unistd.h>

#include "caller-facts.h"

void xtu_run_relay(const char *name)
{
  int r;

  if (xtu_relay_setup(name, &r) != 0) {
    fputs("no relay\n", stderr);
    _exit(1);
  }
  xtu_drain(r);
}

void xtu_run_worker_anyway(const char *name)
{
  int r = -1;

  if (xtu_start_worker(&r, name) < 0)
    fputs("no worker; reading what it wrote so far\n", stderr);
  if (r >= 0)
    xtu_drain(r);
}

/* Another translation unit of the caller-context.c program: it calls two
 * of that file's functions with external linkage, and carries on when they
 * fail. Its own checks are not run; it only makes the program. */
#include "caller-context.h"

/* Declared here, as another file may do for a function with no header. */
int start_job_exported(int *rfd, const char *name);

int api_ignoring_failure(const char *name)
{
  int r = -1;

  (void)start_job_api(&r, name);
  return r;
}

int exported_ignoring_failure(const char *name)
{
  int r = -1;

  (void)start_job_exported(&r, name);
  return r;
}

/* A pipe helper in a header, for inherited.c: a warning in a header is
 * filtered out with it, so the caller's call is reported instead. */
#ifndef INHERITED_HELPERS_H
#define INHERITED_HELPERS_H

#include <unistd.h>

/* Makes a pipe without O_CLOEXEC: 0, or -1. */
static inline int header_make_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  return 0;
}

#endif

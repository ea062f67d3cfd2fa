/* A stray closing brace ends the function early; what follows it is not
 * part of the function. */
#include <unistd.h>

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(int *out, int n) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  *out = p[0];
  if (n > 0)
    write(p[1], "x", 1);
#ifndef FIXED
  }
#endif
  return 0; /* BROKEN-LEAK: p[1] stays open */
}

/* A function cut off by the end of the file (a truncated file, an
 * unbalanced #if). */
#include <unistd.h>

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(int *out) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  *out = p[0];
  write(p[1], "x", 1);
#ifdef FIXED
  return 0; /* BROKEN-LEAK: p[1] stays open */
}
#endif

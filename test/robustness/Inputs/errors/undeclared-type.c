/* An unknown type name in a declaration (a missing typedef). */
#include <unistd.h>
#ifdef FIXED
typedef int conf_t;
#endif

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(int *out) {
  conf_t c = 1;
  int p[2];
  if (pipe(p) < 0)
    return -1;
  *out = p[0];
  return c; /* BROKEN-LEAK: p[1] stays open */
}

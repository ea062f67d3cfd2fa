/* A name that is declared nowhere. */
#include <unistd.h>
#ifdef FIXED
enum { PIPE_FAILED = -1 };
#endif

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return PIPE_FAILED;
  return p[0]; /* BROKEN-LEAK: p[1] stays open */
}

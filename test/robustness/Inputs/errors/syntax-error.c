/* A statement the parser cannot read (a missing parenthesis). */
#include <unistd.h>

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(int n) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
#ifdef FIXED
  if (n > 0)
#else
  if (n > 0
#endif
    close(p[1]);
  return p[0]; /* BROKEN-LEAK: p[1] stays open when n <= 0 */
}

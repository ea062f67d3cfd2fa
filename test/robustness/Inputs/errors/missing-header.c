/* A header that is not there: its declarations are missing too. */
#include <unistd.h>
#ifndef FIXED
#include "no-such-config.h"
#else
#define CONFIG_BUF_SIZE 64
#endif

int intact_leaks(void) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  return p[0]; /* INTACT-LEAK: p[1] stays open */
}

int broken_leaks(int *out) {
  char buf[CONFIG_BUF_SIZE];
  int p[2];
  if (pipe(p) < 0)
    return -1;
  *out = p[0];
  return buf[0] = 0; /* BROKEN-LEAK: p[1] stays open */
}

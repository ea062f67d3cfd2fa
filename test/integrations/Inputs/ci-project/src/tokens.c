#include <unistd.h>

/* Reads a token from a pipe that only this thread could write to. */
int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

#include <stddef.h>
#include <unistd.h>

/* The read blocks forever: this thread holds the only write end. */
int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

size_t token_size(void) { return sizeof(char); }

// Runner self-test: a file without CHECK lines (a near miss) passes when
// clang-tidy reports nothing.
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
#include <unistd.h>

int closes_both(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  close(fds[1]);
  return 0;
}

// wait_token(): reads a pipe whose write end it closed first, so read()
// sees end-of-file at once.
#pragma once
#include <unistd.h>

inline int wait_token() {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  close(fds[1]); // TOKEN-CLOSE
  int n = (int)read(fds[0], &c, 1);
  close(fds[0]);
  return n;
}

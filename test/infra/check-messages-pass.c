// Runner self-test: a correct CHECK-MESSAGES line passes, and [[@LINE]]
// offsets refer to lines of this file.
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
}

int closes_both(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  close(fds[1]);
  return 0;
}

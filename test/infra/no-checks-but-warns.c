// Runner self-test: a file without CHECK lines fails when clang-tidy reports
// anything.
// RUN: not %check_pipe_tidy %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: check_pipe_tidy: FAIL: the test file has no {{.*}} so no diagnostic was expected
// RUNNER-NEXT: warning: write end 'fds[1]'
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
}

// Runner self-test: a warning that no CHECK-MESSAGES line expects fails the
// test, even when every CHECK-MESSAGES line matches.
// RUN: not %check_pipe_tidy %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: error: {{(IMPLICIT-CHECK-NOT|[A-Z-]+-NOT)}}: excluded string found in input
// RUNNER: 'second'
// RUNNER: check_pipe_tidy: FAIL: FileCheck failed for CHECK-{{MESSAGES}}
#include <unistd.h>

int first(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
}

int second(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r; // reported, but not expected above
}

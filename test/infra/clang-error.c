// Runner self-test: a compiler error fails the test, even when the expected
// findings are all there, because clang-tidy's view of broken code cannot be
// trusted; -expect-clang-tidy-error allows it.
// RUN: not %check_pipe_tidy %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: check_pipe_tidy: FAIL: clang-tidy reported errors
// RUNNER-NEXT: error: use of undeclared identifier 'undeclared_thing' [clang-diagnostic-error]
// RUN: %check_pipe_tidy -expect-clang-tidy-error -check-suffix=ERR %s pipe-unclosed-write-end %t -- -- -DONLY_THE_ERROR
#include <unistd.h>

#ifndef ONLY_THE_ERROR
int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
}
#endif

int broken(void) {
  return undeclared_thing;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: error: use of undeclared identifier 'undeclared_thing' [clang-diagnostic-error]
  // CHECK-MESSAGES-ERR: :[[@LINE-2]]:10: error: use of undeclared identifier 'undeclared_thing' [clang-diagnostic-error]
}

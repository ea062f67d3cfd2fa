// Runner self-test: a CHECK-MESSAGES line that names the wrong line fails.
// RUN: not %check_pipe_tidy %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: error: CHECK-{{MESSAGES}}: expected string not found in input
// RUNNER: check_pipe_tidy: FAIL: FileCheck failed for CHECK-{{MESSAGES}}
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // The finding is on the line above, not two lines above.
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
}

// Runner self-test: CHECK-NOTES matches warnings and notes, and every note
// that no CHECK-NOTES line expects fails the test; -check-suffix picks the
// set of lines.
// RUN: %check_pipe_tidy -check-suffix=ALL %s pipe-unclosed-write-end %t
// RUN: not %check_pipe_tidy -check-suffix=NO-NOTE %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: error: {{(IMPLICIT-CHECK-NOT|[A-Z-]+-NOT)}}: excluded string found in input
// RUNNER: note: pipe created here
// RUNNER: check_pipe_tidy: FAIL: FileCheck failed for CHECK-{{NOTES}}-NO-NOTE
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // CHECK-NOTES-ALL: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
  // CHECK-NOTES-ALL: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-NOTES-NO-NOTE: :[[@LINE-3]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
}

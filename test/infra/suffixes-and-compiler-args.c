// Runner self-test: -check-suffixes=A,B checks both sets of lines, and the
// arguments after the second -- reach the compiler.
// RUN: %check_pipe_tidy -check-suffix=A %s pipe-unclosed-write-end %t -- -- -DWITH_A
// RUN: %check_pipe_tidy -check-suffixes=A,B %s pipe-unclosed-write-end %t -- -- -DWITH_A -DWITH_B
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: not %check_pipe_tidy -check-suffix=A %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: check_pipe_tidy: FAIL: FileCheck failed for CHECK-{{MESSAGES}}-A
#include <unistd.h>

#ifdef WITH_A
int leak_a(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // CHECK-MESSAGES-A: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}'leak_a'{{.*}}[pipe-unclosed-write-end]
  // CHECK-MESSAGES-A: :[[@LINE-5]]:7: note: pipe created here
}
#endif

#ifdef WITH_B
int leak_b(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
  // CHECK-MESSAGES-B: :[[@LINE-1]]:3: warning: write end 'fds[1]' {{.*}}'leak_b'{{.*}}[pipe-unclosed-write-end]
  // CHECK-MESSAGES-B: :[[@LINE-5]]:7: note: pipe created here
}
#endif

// Runner self-test of --require-analysed: a near-miss test passes when the
// checks say nothing, which proves nothing unless they looked. With the
// option, every function of the test file that makes a pipe or closes a
// descriptor must have been analysed (PIPE_TIDY_STATS prints a line for it)
// and none may have gone over budget.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t > %t.ok.out
// RUN: FileCheck %s --check-prefix=OK --input-file=%t.ok.out
// relay() and the lambda in with_lambda(): a lambda is analysed on its own,
// and the function around it, which makes no pipe itself, need not be.
// OK: --require-analysed: all 2 pipe function(s) and lambda(s) analysed, none over budget
//
// Inside namespace sandbox, pipe() and close() are sandbox's own functions,
// which the model does not know: no check analyses relay(), and the test
// passes silently without the option, but not with it.
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -DHIDDEN_PIPE
// RUN: %expect_exit 1 %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -DHIDDEN_PIPE > %t.hidden.out
// RUN: FileCheck %s --check-prefix=HIDDEN --input-file=%t.hidden.out
// HIDDEN: check_pipe_tidy: FAIL: --require-analysed: these functions make a pipe or close a descriptor, but no check analysed them (no PIPE_TIDY_STATS line):
// HIDDEN-NEXT: require-analysed.cpp:46 'relay'
//
// A budget too small for relay(): its analysis is abandoned (and says
// nothing) without the option, and fails with it.
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.AnalysisBudget, value: 1}]}"
// RUN: %expect_exit 1 %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.AnalysisBudget, value: 1}]}" > %t.budget.out
// RUN: FileCheck %s --check-prefix=BUDGET --input-file=%t.budget.out
// BUDGET: check_pipe_tidy: FAIL: --require-analysed: the analysis of these functions went over budget, so their silence proves nothing:
// BUDGET-NEXT: require-analysed.cpp:46 'relay' {{.*}} over-budget
//
// A file with no pipe function at all is an error, not a pass.
// RUN: %expect_exit 1 %check_pipe_tidy --require-analysed %S/fixes.c pipe-unclosed-write-end %t.none > %t.none.out
// RUN: FileCheck %s --check-prefix=NONE --input-file=%t.none.out
// NONE: check_pipe_tidy: FAIL: --require-analysed: found no function in {{.*}}fixes.c that makes a pipe or closes a descriptor

#include <unistd.h>

namespace sandbox {
int pipe(int *fds);
int close(int fd);
} // namespace sandbox

#ifdef HIDDEN_PIPE
namespace sandbox {
#endif
// Copies from 'in' through a pipe, closing both ends on every path.
int relay(int in, int n) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  for (int i = 0; i < n; ++i) {
    char c;
    if (read(in, &c, 1) != 1 || write(fds[1], &c, 1) != 1) {
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    if (read(fds[0], &c, 1) != 1)
      break;
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}
#ifdef HIDDEN_PIPE
} // namespace sandbox
#endif

int with_lambda() {
  auto make = [] {
    int fds[2];
    if (pipe(fds) < 0)
      return -1;
    close(fds[1]);
    return fds[0];
  };
  return make();
}

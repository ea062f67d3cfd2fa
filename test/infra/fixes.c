// Runner self-test: CHECK-FIXES is matched, as whole lines, against the file
// that clang-tidy -fix wrote, and a CHECK-FIXES line can never match itself.
// The fix comes from a stock clang-tidy check, so this does not depend on the
// fix-its of the pipe checks.
// RUN: %check_pipe_tidy -check-suffix=OK %s readability-uppercase-literal-suffix %t
// RUN: not %check_pipe_tidy -check-suffix=BAD %s readability-uppercase-literal-suffix %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUN: not %check_pipe_tidy -check-suffix=BAD --match-partial-fixes %s readability-uppercase-literal-suffix %t > %t.partial 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.partial
// RUNNER: error: CHECK-{{FIXES}}-BAD: expected string not found in input
// RUNNER: check_pipe_tidy: FAIL: FileCheck failed for CHECK-{{FIXES}}-BAD

long answer = 42l;
// CHECK-MESSAGES-OK: :[[@LINE-1]]:15: warning: integer literal has suffix 'l', which is not uppercase [readability-uppercase-literal-suffix]
// CHECK-FIXES-OK: long answer = 42L;
// CHECK-MESSAGES-BAD: :[[@LINE-3]]:15: warning: integer literal has suffix 'l'
// CHECK-FIXES-BAD: long answer = 42l;

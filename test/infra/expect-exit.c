// Runner self-test of %expect_exit: it passes only for the exact exit status,
// and a crash never counts as the expected failure (the `not` of lit 19 and
// older does count it: `not sh -c 'kill -SEGV $$'` passes there).
//
// RUN: %expect_exit 0 true
// RUN: %expect_exit 1 false
// RUN: %expect_exit 3 sh -c 'exit 3'
// RUN: not %expect_exit 1 sh -c 'exit 2' 2> %t.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.status
// STATUS: expect_exit: sh exited with status 2 (expected 1)
// RUN: not %expect_exit 1 sh -c 'kill -SEGV $$' 2> %t.crash
// RUN: FileCheck %s --check-prefix=CRASH --input-file=%t.crash
// CRASH: expect_exit: sh was killed by SIGSEGV (expected exit status 1)
// Output and input pass through unchanged.
// RUN: echo through | %expect_exit 0 cat | FileCheck %s --check-prefix=PASS
// PASS: through

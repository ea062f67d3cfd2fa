// Self-test of the reach suite's runner, bench/reach/run.py: a bug the
// checks see in one function counts as found (by function and by line),
// a bug the checks cannot see by design (a call through a function pointer)
// counts as missed with the reason from its header, a warning in a near-miss counts as a false
// positive, a positive that does not hang fails the proof (exit 1), and
// a bad header is refused (exit 2) with a message naming the check.
//
// RUN: %expect_exit 0 %python %repo_root/bench/reach/run.py --clang-tidy %clang_tidy --plugin %plugin --report %t.md %repo_root/bench/reach/selftest/controls.c %repo_root/bench/reach/selftest/missed_function_pointer.c %repo_root/bench/reach/selftest/nearmiss_false_positive.c > %t.out 2> %t.err
// RUN: FileCheck %s --input-file=%t.out
// CHECK: | controls.c | pipe-self-deadlock in banner_inline (hang) | {{.*}} | found |  |
// CHECK: | controls.c | pipe-unclosed-write-end in filter_inline (hang) | {{.*}} | found |  |
// CHECK: | controls.c | pipe-wait-before-drain in capture_inline (hang) | {{.*}} | found |  |
// CHECK: | controls.c | pipe-leaked-writer in consume_inline (hang) | {{.*}} | found |  |
// CHECK: | controls.c | pipe-self-copy in 131 (hang) | pipe-self-copy:131 | found |  |
// CHECK: | controls.c | pipe-writer-error-ignored in reap_inline (exit) | {{.*}} | found |  |
// CHECK: | missed_function_pointer.c | pipe-self-deadlock in collect_banner (hang) | - | missed | function pointer (the pipe is made by a call through a pointer) |
// CHECK: | nearmiss_false_positive.c | none of pipe-unclosed-write-end | pipe-unclosed-write-end:16 | false positive |  |
// CHECK: programs: 3 (2 with a bug, 1 near-misses)
// CHECK-NEXT: proofs: 8 run, 0 failed
// CHECK-NEXT: recall: 6 of 7 expected reports found (86%)
// CHECK-NEXT: false positives: 1 (near-miss expectations silent: 0)
// RUN: FileCheck %s --check-prefix=REPORT --input-file=%t.md
// REPORT: - checker: {{[0-9a-f]+}} (tree
// REPORT-NEXT: - last commit changing checker/: {{[0-9a-f]+}} 20
// REPORT-NEXT: - plugin: `{{.*}}PipeTidy-llvm{{[0-9]+}}.so`, modified 20{{.*}}, sha256 {{[0-9a-f]+}} (the run used a copy taken at its start)
// REPORT: - recall: 6 of 7 expected reports found (86%)
// REPORT: ## Misses by reason
// REPORT: | function pointer | 1 | missed_function_pointer.c (pipe-self-deadlock) |
//
// RUN: %expect_exit 1 %python %repo_root/bench/reach/run.py --clang-tidy %clang_tidy --plugin %plugin %repo_root/bench/reach/selftest/proof_fails.c > %t.fail 2>&1
// RUN: FileCheck %s --check-prefix=FAIL --input-file=%t.fail
// FAIL: proofs: 1 run, 1 failed
// FAIL: PROOF FAILED: proof_fails.c scenario 'closes' (expected hang):
// FAIL: was expected to hang {{.*}}, but it exited with status 0
//
// RUN: %expect_exit 2 %python %repo_root/bench/reach/run.py --clang-tidy %clang_tidy --plugin %plugin %repo_root/bench/reach/selftest/bad_header.c 2> %t.bad
// RUN: FileCheck %s --check-prefix=BAD --input-file=%t.bad
// BAD: run.py: {{.*}}bad_header.c:3: unknown check 'pipe-never-closes' (one of pipe-self-deadlock,
//
// RUN: %expect_exit 2 %python %repo_root/bench/reach/run.py --clang-tidy %clang_tidy --plugin %t.no-such.so %repo_root/bench/reach/selftest/controls.c 2> %t.noplugin
// RUN: FileCheck %s --check-prefix=NOPLUGIN --input-file=%t.noplugin
// NOPLUGIN: run.py: --plugin {{.*}}no-such.so: no such file
//
// RUN: %expect_exit 2 %python %repo_root/bench/reach/run.py --no-proof --clang-tidy %clang_tidy --plugin %plugin %repo_root/bench/reach/selftest/does_not_compile.c > %t.cc 2>&1
// RUN: FileCheck %s --check-prefix=NOCOMPILE --input-file=%t.cc
// NOCOMPILE: CLANG-TIDY FAILED on does_not_compile.c: clang-tidy reported errors: {{.*}}does_not_compile.c:4:{{.*}}undeclared_name

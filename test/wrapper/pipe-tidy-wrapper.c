// tools/pipe-tidy: the wrapper that loads the plugin matching the clang-tidy
// it runs and refuses to run when it cannot prove the pipe checks active.
//
// It passes clang-tidy's arguments through and reports what clang-tidy
// reports, after a line that names the active pipe checks:
// RUN: %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --config={} -checks='-*,pipe-self-deadlock' %s -- 2>&1 | FileCheck %s --check-prefix=RUNS
// RUNS: pipe-tidy: {{.*}}clang-tidy{{.*}} (LLVM {{[0-9]+}}) with {{.*}}PipeTidy-llvm{{[0-9]+}}.so: 1 pipe check active (pipe-self-deadlock)
// RUNS: pipe-tidy-wrapper.c:[[@LINE+52]]:15: warning: read from 'fds[0]' blocks forever
//
// The plugin is found from the clang-tidy's major (a source tree's build/):
// RUN: %pipe_tidy --clang-tidy %clang_tidy --print-plugin | FileCheck %s --check-prefix=FOUND
// FOUND: build/llvm-{{[0-9]+}}/PipeTidy-llvm{{[0-9]+}}.so
//
// A configuration that enables no pipe check fails with exit status 3:
// RUN: %expect_exit 3 %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --config={} -checks='-*,bugprone-infinite-loop' %s -- 2>&1 | FileCheck %s --check-prefix=NOPIPE
// NOPIPE: pipe-tidy: error: no pipe-* check is enabled for {{.*}}pipe-tidy-wrapper.c: add pipe-* to Checks in .clang-tidy, or pass -checks='pipe-*' (enabled: bugprone-infinite-loop)
// RUN: %python -c "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]) != 3)" %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --config={} -checks='-*,bugprone-infinite-loop' %s --
//
// The .clang-tidy file that applies to the source counts, as in clang-tidy:
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/src.c
// RUN: printf 'Checks: "-*,pipe-*"\n' > %t/.clang-tidy
// RUN: %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin %t/src.c -- 2>&1 | FileCheck %s --check-prefix=DOTFILE
// DOTFILE: 6 pipe checks active
// DOTFILE: src.c:{{[0-9]+}}:15: warning: read from 'fds[0]' blocks forever
//
// A plugin that does not exist, or is built for another LLVM major, is
// refused by name before clang-tidy could fail with a symbol error:
// RUN: %expect_exit 3 %pipe_tidy --clang-tidy %clang_tidy --plugin %t/PipeTidy-llvm%llvm_version.so -checks='pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: pipe-tidy: error: plugin {{.*}}PipeTidy-llvm{{[0-9]+}}.so does not exist
// RUN: cp %plugin %t/PipeTidy-llvm1.so
// RUN: %expect_exit 3 %pipe_tidy --clang-tidy %clang_tidy --plugin %t/PipeTidy-llvm1.so -checks='pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: pipe-tidy: error: plugin {{.*}}PipeTidy-llvm1.so is built for LLVM 1, but this clang-tidy is LLVM {{[0-9]+}}: use PipeTidy-llvm{{[0-9]+}}.so
//
// --help lists the wrapper's options and its exit statuses; --version
// prints pipe-tidy's version (CMake's project version, the one place it is
// kept) and the clang-tidy it would run:
// RUN: %pipe_tidy --help | FileCheck %s --check-prefix=HELP
// HELP: pipe-tidy [pipe-tidy options] [clang-tidy options] [FILE...] [-- COMPILER FLAGS]
// HELP: --baseline FILE
// HELP: --suppressions FILE
// HELP: Exit status:
// HELP-NEXT: 0 clean
// HELP: 1 findings, with --fail-on-findings
// HELP: 2 the analysis failed
// HELP: 3 misconfiguration
// RUN: grep -o 'project(pipe-tidy VERSION [0-9.]*' %repo_root/CMakeLists.txt > %t/version.txt
// RUN: %pipe_tidy --plugin %plugin --version >> %t/version.txt
// RUN: FileCheck %s --check-prefix=VERSION -DMAJOR=%llvm_version < %t/version.txt
// VERSION: project(pipe-tidy VERSION [[V:[0-9.]+]]
// VERSION-NEXT: pipe-tidy version [[V]]
// VERSION-NEXT: clang-tidy: {{.*}}clang-tidy{{.*}} (LLVM [[MAJOR]], the plugin's name)

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

// The CI recipes of docs/usage.md#ci: run-clang-tidy over a compilation
// database, and clang-tidy-diff.py over a patch, both with -load.
//
// LLVM 14's run-clang-tidy and clang-tidy-diff.py have no -load option (it
// came in LLVM 15), and neither can pass one on to clang-tidy, so neither
// recipe exists there; with 14, -clang-tidy-binary can name pipe-clang-tidy,
// which has the checks built in, instead.
// UNSUPPORTED: llvm-14
//
// RUN: rm -rf %t && mkdir -p %t/src && cp %s %t/src/reader.c
// RUN: printf '[{"directory": "%t/src", "file": "%t/src/reader.c", "command": "cc -c reader.c"}]' > %t/src/compile_commands.json
// RUN: %run_clang_tidy -clang-tidy-binary %clang_tidy -load=%plugin -checks='-*,pipe-*' -p %t/src -quiet > %t/run.txt 2>&1
// RUN: FileCheck %s --check-prefix=RCT < %t/run.txt
// RCT: reader.c:[[@LINE+23]]:15: warning: read from 'fds[0]' blocks forever
//
// Only the lines a patch touches: the read is in the patch, so it is
// reported; with a patch that touches only other lines it is not.
// RUN: git -C %t/src init -q && git -C %t/src add reader.c && git -C %t/src -c user.email=t@t -c user.name=t commit -q -m base
// RUN: sed -i 's|return (int)read(fds\[0\], &c, 1);|return (int)read(fds[0], \&c, sizeof c);|' %t/src/reader.c
// RUN: git -C %t/src diff -U0 > %t/patch.diff
// RUN: cd %t/src && %python %tidy_diff_script -p1 -clang-tidy-binary %clang_tidy -load=%plugin -checks='-*,pipe-*' -path %t/src < %t/patch.diff > %t/diff.txt 2>&1
// RUN: FileCheck %s --check-prefix=DIFF < %t/diff.txt
// DIFF: reader.c:{{[0-9]+}}:15: warning: read from 'fds[0]' blocks forever
// RUN: git -C %t/src checkout -q reader.c && sed -i 's|^int wait_for_token|int  wait_for_token|' %t/src/reader.c
// RUN: git -C %t/src diff -U0 > %t/other.diff
// RUN: cd %t/src && %python %tidy_diff_script -p1 -clang-tidy-binary %clang_tidy -load=%plugin -checks='-*,pipe-*' -path %t/src < %t/other.diff > %t/other.txt 2>&1
// RUN: FileCheck %s --check-prefix=OTHER --implicit-check-not='warning:' < %t/other.txt
// OTHER: Suppressed {{[0-9]+}} warnings ({{[0-9]+}} due to line filter)

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

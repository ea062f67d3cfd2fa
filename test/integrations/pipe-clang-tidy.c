// pipe-clang-tidy: clang-tidy with every stock check and the pipe checks
// built in, for tools that take a clang-tidy executable but cannot --load.
//
// REQUIRES: pipe-clang-tidy
// Stock checks and ours side by side, no plugin loaded:
// RUN: %build_dir/bin/pipe-clang-tidy -checks='-*,bugprone-infinite-loop,pipe-*' --list-checks | FileCheck %s --check-prefix=LIST
// LIST: bugprone-infinite-loop
// LIST-NEXT: pipe-leaked-writer
// LIST: pipe-writer-error-ignored
//
// It reports like clang-tidy with the plugin; the file includes clang's
// built-in headers, which it must find:
// RUN: %build_dir/bin/pipe-clang-tidy -checks='-*,pipe-self-deadlock' %s -- 2>&1 | FileCheck %s --check-prefix=WARN
// WARN: pipe-clang-tidy.c:[[@LINE+33]]:15: warning: read from 'fds[0]' blocks forever
//
// Copied anywhere (no lib/clang next to it), it still finds them:
// RUN: rm -rf %t && mkdir -p %t/opt/bin && cp %build_dir/bin/pipe-clang-tidy %t/opt/bin/
// RUN: %t/opt/bin/pipe-clang-tidy -checks='-*,pipe-self-deadlock' %s -- 2>&1 | FileCheck %s --check-prefix=WARN --implicit-check-not=error:
//
// --version: pipe-tidy's version (project() in CMakeLists.txt) first, then
// clang-tidy's banner, whose LLVM is the one the checks are built for:
// RUN: grep -o 'project(pipe-tidy VERSION [0-9.]*' %repo_root/CMakeLists.txt > %t/version.txt
// RUN: %build_dir/bin/pipe-clang-tidy --version >> %t/version.txt
// RUN: FileCheck %s -DLLVM=%llvm_version --check-prefix=VERSION < %t/version.txt
// VERSION:      project(pipe-tidy VERSION [[V:[0-9]+\.[0-9]+\.[0-9]+]]
// VERSION-NEXT: pipe-tidy version [[V]] (pipe-clang-tidy, LLVM [[LLVM]])
// VERSION-NEXT: LLVM version [[LLVM]].
// A "--version" among the compiler's arguments is not ours:
// RUN: %build_dir/bin/pipe-clang-tidy -checks='-*,pipe-self-deadlock' %s -- --version 2>&1 | FileCheck %s --check-prefix=WARN --implicit-check-not='pipe-tidy version'

#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

size_t count_args(int n, ...) {
  va_list ap;
  va_start(ap, n);
  va_end(ap);
  return (size_t)n;
}

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

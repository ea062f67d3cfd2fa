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
// WARN: pipe-clang-tidy.c:[[@LINE+27]]:15: warning: read from 'fds[0]' blocks forever
//
// Copied anywhere (no lib/clang next to it), it still finds them:
// RUN: rm -rf %t && mkdir -p %t/opt/bin && cp %build_dir/bin/pipe-clang-tidy %t/opt/bin/
// RUN: %t/opt/bin/pipe-clang-tidy -checks='-*,pipe-self-deadlock' %s -- 2>&1 | FileCheck %s --check-prefix=WARN --implicit-check-not=error:
//
// Loading the plugin as well would register the checks twice; it is not
// needed, and the version banner is clang-tidy's:
// RUN: %build_dir/bin/pipe-clang-tidy --version | FileCheck %s --check-prefix=VERSION
// VERSION: LLVM version [[#]]

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

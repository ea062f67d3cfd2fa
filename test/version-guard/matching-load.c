// The plugin built for this clang-tidy's LLVM loads (no guard message, exit
// status 0), registers its checks, and finds the leak below.
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' --list-checks > %t.list 2> %t.err
// RUN: FileCheck %s --check-prefix=LIST --input-file=%t.list
// RUN: not grep -q 'pipe-tidy plugin was built' %t.err
// LIST: Enabled checks:
// LIST: pipe-unclosed-write-end
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %s -- -std=gnu11 2>&1 | FileCheck %s --check-prefix=FINDS
// FINDS-NOT: pipe-tidy plugin was built
// FINDS: :[[@LINE+8]]:3: warning: write end 'fds[1]' {{.*}}[pipe-unclosed-write-end]
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  int r = fds[0]; /* the caller reads */
  return r;
}

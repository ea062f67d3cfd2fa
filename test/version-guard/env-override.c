// The version guard, driven by PIPE_TIDY_HOST_LLVM_MAJOR (which stands in for
// the LLVM of the clang-tidy that loads the plugin): a mismatch prints exactly
// one line to stderr, nothing to stdout, and exits with status 3, both when
// listing the checks and when analysing a file; the matching major loads.
//
// RUN: env PIPE_TIDY_HOST_LLVM_MAJOR=7 sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" --list-checks > %t.list.out 2> %t.list.err; echo "exit status $?"' > %t.list.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.list.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.list.err -DBUILT=%llvm_version
// RUN: count 1 < %t.list.err
// RUN: count 0 < %t.list.out
//
// RUN: env PIPE_TIDY_HOST_LLVM_MAJOR=7 sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %s -- -std=gnu11 > %t.file.out 2> %t.file.err; echo "exit status $?"' > %t.file.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.file.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.file.err -DBUILT=%llvm_version
// RUN: count 1 < %t.file.err
// RUN: count 0 < %t.file.out
//
// STATUS: {{^}}exit status 3{{$}}
// ERR: error: pipe-tidy plugin was built for LLVM [[BUILT]] but was loaded by a clang-tidy of LLVM 7; load PipeTidy-llvm7.so instead (build it with -DPIPE_TIDY_LLVM_VERSION=7)
//
// The override naming the plugin's own major loads it.
// RUN: env PIPE_TIDY_HOST_LLVM_MAJOR=%llvm_version %clang_tidy --load=%plugin -checks='-*,pipe-*' --list-checks | FileCheck %s --check-prefix=SAME
// SAME: pipe-unclosed-write-end
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  return 0;
}

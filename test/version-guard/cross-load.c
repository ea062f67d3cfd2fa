// The real thing: the plugin built for the other LLVM major, loaded by this
// clang-tidy, refuses with exactly one line on stderr and exit status 3.
// scripts/run-tests.sh passes --param other_plugin=... when both are built.
//
// REQUIRES: other-plugin
//
// RUN: sh -c '%clang_tidy --load=%other_plugin -checks="-*,pipe-*" --list-checks > %t.list.out 2> %t.list.err; echo "exit status $?"' > %t.list.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.list.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.list.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.list.err
// RUN: count 0 < %t.list.out
//
// RUN: sh -c '%clang_tidy --load=%other_plugin -checks="-*,pipe-*" %s -- -std=gnu11 > %t.file.out 2> %t.file.err; echo "exit status $?"' > %t.file.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.file.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.file.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.file.err
// RUN: count 0 < %t.file.out
//
// STATUS: {{^}}exit status 3{{$}}
// ERR: error: pipe-tidy plugin was built for LLVM [[BUILT]] but was loaded by a clang-tidy of LLVM [[HOST]]; load PipeTidy-llvm[[HOST]].so instead (build it with -DPIPE_TIDY_LLVM_VERSION=[[HOST]])
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  return 0;
}

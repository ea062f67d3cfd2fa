// Two plugins in one clang-tidy: the one built for this LLVM and the one
// built for another major, in both orders. clang-tidy loads plugins with
// RTLD_GLOBAL; if the guard were an exported symbol, the second plugin would
// call the first one's copy (built for the matching LLVM) and load silently.
// Every order must be refused with the guard's one line and exit status 3.
// The status is checked as a number, so a crash (134, 139) fails the test.
//
// REQUIRES: other-plugin
//
// Matching plugin first, the other one second.
// RUN: sh -c '%clang_tidy --load=%plugin --load=%other_plugin -checks="-*,pipe-*" --list-checks > %t.mo.out 2> %t.mo.err; echo "exit status $?"' > %t.mo.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.mo.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.mo.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.mo.err
// RUN: count 0 < %t.mo.out
//
// The same order on a file with a leak: no finding slips out before the exit.
// RUN: sh -c '%clang_tidy --load=%plugin --load=%other_plugin -checks="-*,pipe-*" %s -- -std=gnu11 > %t.mof.out 2> %t.mof.err; echo "exit status $?"' > %t.mof.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.mof.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.mof.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.mof.err
// RUN: count 0 < %t.mof.out
//
// The other plugin first, the matching one second.
// RUN: sh -c '%clang_tidy --load=%other_plugin --load=%plugin -checks="-*,pipe-*" --list-checks > %t.om.out 2> %t.om.err; echo "exit status $?"' > %t.om.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.om.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.om.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.om.err
// RUN: count 0 < %t.om.out
//
// RUN: sh -c '%clang_tidy --load=%other_plugin --load=%plugin -checks="-*,pipe-*" %s -- -std=gnu11 > %t.omf.out 2> %t.omf.err; echo "exit status $?"' > %t.omf.status
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.omf.status
// RUN: FileCheck %s --check-prefix=ERR --match-full-lines --input-file=%t.omf.err -DBUILT=%other_llvm_version -DHOST=%llvm_version
// RUN: count 1 < %t.omf.err
// RUN: count 0 < %t.omf.out
//
// Neither plugin exports the guard for another to bind to.
// RUN: llvm-nm -D --defined-only %plugin %other_plugin > %t.syms
// RUN: FileCheck %s --check-prefix=SYMS --input-file=%t.syms
// RUN: not grep -E 'enforceMatchingLLVMOrExit|detectHostLLVMMajor' %t.syms
//
// STATUS: {{^}}exit status 3{{$}}
// ERR: error: pipe-tidy plugin was built for LLVM [[BUILT]] but was loaded by a clang-tidy of LLVM [[HOST]]; load PipeTidy-llvm[[HOST]].so instead (build it with -DPIPE_TIDY_LLVM_VERSION=[[HOST]])
// The list is not empty: the module's registration is exported.
// SYMS: PipeTidyModuleAnchorSource
#include <unistd.h>

int forgets_write_end(void) {
  int fds[2];
  if (pipe(fds))
    return -1;
  close(fds[0]);
  return 0;
}

// Debian 12's default clang-tidy (LLVM 14) reads CheckOptions only as a
// list. Given the map form it says "not a sequence", runs its default
// checks and exits 0; the wrapper says that the configuration did not parse
// and exits 3, when it runs the files and with --verify-config.
//
// REQUIRES: llvm-14
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/reader.c
// RUN: printf 'Checks: "-*,pipe-*"\nCheckOptions:\n  pipe-unclosed-write-end.CloseFunctions: "xclose"\n' > %t/.clang-tidy
// RUN: %python %S/Inputs/status.py %pipe_tidy --plugin %plugin %t/reader.c -- > %t/map.txt 2>&1
// RUN: FileCheck %s --check-prefix=MAP < %t/map.txt
// MAP: pipe-tidy: error: could not parse the configuration file {{.*}}/.clang-tidy: {{.*}}clang-tidy{{.*}} (LLVM 14) said:
// MAP: error: not a sequence
// MAP: clang-tidy 14 reads CheckOptions only as a list; write it in the form that every LLVM major reads:
// MAP: exit status: 3
// RUN: %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --verify-config %t/reader.c > %t/verify.txt 2>&1
// RUN: FileCheck %s --check-prefix=MAP < %t/verify.txt
//
// The list form, as the docs write it, is read:
// RUN: printf 'Checks: "-*,pipe-*"\nCheckOptions:\n  - key: pipe-unclosed-write-end.CloseFunctions\n    value: "xclose"\n' > %t/.clang-tidy
// RUN: %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --verify-config %t/reader.c 2>&1 | FileCheck %s --check-prefix=LIST
// LIST: pipe-tidy: using {{.*}}clang-tidy{{.*}} (LLVM 14) with {{.*}}PipeTidy-llvm14.so: 6 pipe checks active
// LIST: exit status: 0

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

// Without --clang-tidy or $CLANG_TIDY, the wrapper runs the first clang-tidy
// whose LLVM major has a plugin: `clang-tidy` on PATH, then the installed
// clang-tidy-NN, newest first. On Debian 12 the plain `clang-tidy` is
// LLVM 14 while the installed pipe-tidy may be for 19.
//
// REQUIRES: other-plugin
// An installed layout with this major's plugin only, and a PATH whose
// clang-tidy is the other major's:
// RUN: rm -rf %t && mkdir -p %t/tool/bin %t/tool/lib/pipe-tidy %t/path
// RUN: cp %repo_root/tools/pipe-tidy %t/tool/bin/pipe-tidy
// RUN: cp %plugin %t/tool/lib/pipe-tidy/
// RUN: ln -s /usr/lib/llvm-%other_llvm_version/bin/clang-tidy %t/path/clang-tidy
// RUN: env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%llvm_version
// CHECK: pipe-tidy: {{.*}}clang-tidy{{.*}} (LLVM [[MAJOR]]) with {{.*}}/tool/lib/pipe-tidy/PipeTidy-llvm[[MAJOR]].so: 6 pipe checks active
// CHECK: picks-clang-tidy.c:[[@LINE+14]]:15: warning: read from 'fds[0]' blocks forever
//
// A plugin given by name decides nothing about the clang-tidy: the PATH
// one runs, and the mismatch is refused by name:
// RUN: env PATH=%t/path:/usr/bin:/bin not %python %t/tool/bin/pipe-tidy --plugin %plugin -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=GIVEN -DMAJOR=%llvm_version -DOTHER=%other_llvm_version
// GIVEN: pipe-tidy: error: plugin {{.*}} is built for LLVM [[MAJOR]], but this clang-tidy is LLVM [[OTHER]]

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

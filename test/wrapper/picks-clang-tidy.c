// Which clang-tidy the wrapper runs is explicit and printed: --clang-tidy
// or $CLANG_TIDY; --llvm NN or $PIPE_TIDY_LLVM; the major in the name of
// the plugin given (--plugin, $PIPE_TIDY_PLUGIN); 'llvm: NN' in a .pipe-tidy
// file; else the newest major that has a plugin. On Debian 12 the plain
// `clang-tidy` on PATH is LLVM 14 whatever plugin is installed.
//
// REQUIRES: other-plugin
// An installed layout with this major's plugin only, and a PATH whose
// clang-tidy is the other major's:
// RUN: rm -rf %t && mkdir -p %t/tool/bin %t/tool/lib/pipe-tidy %t/path %t/proj
// RUN: cp %repo_root/tools/pipe-tidy %t/tool/bin/pipe-tidy
// RUN: cp %plugin %t/tool/lib/pipe-tidy/
// RUN: ln -s /usr/lib/llvm-%other_llvm_version/bin/clang-tidy %t/path/clang-tidy
// RUN: env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=INSTALLED -DMAJOR=%llvm_version --implicit-check-not='also available'
// INSTALLED: pipe-tidy: using {{.*}}clang-tidy{{.*}} (LLVM [[MAJOR]]) with {{.*}}/tool/lib/pipe-tidy/PipeTidy-llvm[[MAJOR]].so: 6 pipe checks active
// INSTALLED: picks-clang-tidy.c:[[@LINE+39]]:15: warning: read from 'fds[0]' blocks forever
// CHECK: pipe-tidy: using {{.*}}clang-tidy{{.*}} (LLVM [[MAJOR]]) with {{.*}}PipeTidy-llvm[[MAJOR]].so: 6 pipe checks active
// CHECK: picks-clang-tidy.c:[[@LINE+37]]:15: warning: read from 'fds[0]' blocks forever
//
// A plugin given by name picks the clang-tidy of its major, not the one on
// PATH (the pre-commit route with PIPE_TIDY_PLUGIN alone):
// RUN: env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --plugin %plugin --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%llvm_version
// RUN: env PATH=%t/path:/usr/bin:/bin PIPE_TIDY_PLUGIN=%plugin %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%llvm_version
// A clang-tidy given explicitly with a plugin of another major is refused
// by name:
// RUN: env PATH=%t/path:/usr/bin:/bin %expect_exit 3 %python %t/tool/bin/pipe-tidy --clang-tidy clang-tidy --plugin %plugin -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=GIVEN -DMAJOR=%llvm_version -DOTHER=%other_llvm_version
// GIVEN: pipe-tidy: error: plugin {{.*}} is built for LLVM [[MAJOR]], but this clang-tidy is LLVM [[OTHER]]
//
// A major pinned without a plugin for it: the message says how to get one,
// with options that exist:
// RUN: env PATH=%t/path:/usr/bin:/bin %expect_exit 3 %python %t/tool/bin/pipe-tidy --llvm %other_llvm_version -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=NOPLUGIN -DOTHER=%other_llvm_version
// NOPLUGIN: pipe-tidy: error: no pipe-tidy plugin for LLVM [[OTHER]] (PipeTidy-llvm[[OTHER]].so) in {{.*}}tool/lib/pipe-tidy{{.*}}. Build it (cmake -S SRC -B build/llvm-[[OTHER]] -DPIPE_TIDY_LLVM_VERSION=[[OTHER]] && cmake --build build/llvm-[[OTHER]]), install the pipe-tidy-llvm[[OTHER]] package, name it with --plugin PATH or $PIPE_TIDY_PLUGIN, or run another major with --llvm NN
//
// With both plugins installed, the default is the newest, and the wrapper
// says which others it could run and how to pin one; --llvm,
// $PIPE_TIDY_LLVM and .pipe-tidy pin it:
// RUN: cp %other_plugin %t/tool/lib/pipe-tidy/
// RUN: cd %t/proj && env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: pipe-tidy: note: LLVM {{[0-9]+}} is the newest major with a plugin; also available: LLVM {{[0-9]+}}. Pin one with --llvm NN, $PIPE_TIDY_LLVM or 'llvm: NN' in .pipe-tidy
// RUN: cd %t/proj && env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --llvm %other_llvm_version --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%other_llvm_version --implicit-check-not='also available'
// RUN: cd %t/proj && env PATH=%t/path:/usr/bin:/bin PIPE_TIDY_LLVM=%llvm_version %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%llvm_version --implicit-check-not='also available'
// RUN: printf '# the LLVM this project is checked with\nllvm: %other_llvm_version\n' > %t/proj/.pipe-tidy && mkdir -p %t/proj/sub
// RUN: cd %t/proj/sub && env PATH=%t/path:/usr/bin:/bin %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s -DMAJOR=%other_llvm_version --implicit-check-not='also available'
// RUN: printf 'llvm: nineteen\n' > %t/proj/.pipe-tidy
// RUN: cd %t/proj && env PATH=%t/path:/usr/bin:/bin %expect_exit 3 %python %t/tool/bin/pipe-tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=BADPIN
// BADPIN: pipe-tidy: error: {{.*}}proj/.pipe-tidy:1: expected 'llvm: NN' (the LLVM major to run), not 'llvm: nineteen'

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

// The clang-tidy-diff recipe of docs/usage.md#clang-tidy-diff, run as
// written on a small git repository: only the lines a patch touches are
// checked. clang-tidy-diff runs plain `clang-tidy` unless told otherwise,
// which on Debian 12 is LLVM 14 and refuses a plugin of another major, so
// the recipe names the binary (-clang-tidy-binary clang-tidy-NN).
// LLVM 14's clang-tidy-diff has no -load: clang-tidy-diff-llvm14.c.
//
// UNSUPPORTED: llvm-14
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %s %t/proj/reader.c
// RUN: printf '[{"directory": "%t/proj", "file": "reader.c", "arguments": ["cc", "-c", "reader.c"]}]' > %t/proj/build/compile_commands.json
// RUN: git -C %t/proj init -q && git -C %t/proj add reader.c && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
// RUN: sed -i 's|return (int)read(fds\[0\], &c, 1);|return (int)read(fds[0], \&c, sizeof c);|' %t/proj/reader.c
//
// The recipe:
// RUN: cd %t/proj && git diff -U0 HEAD | env PATH=/usr/bin:/bin clang-tidy-diff-%llvm_version.py -p1 -path build -clang-tidy-binary clang-tidy-%llvm_version -load=%plugin -checks='-*,pipe-*' > %t/diff.txt 2>&1
// RUN: FileCheck %s --check-prefix=DIFF < %t/diff.txt
// DIFF: reader.c:[[@LINE+29]]:15: warning: read from 'fds[0]' blocks forever
//
// Without -clang-tidy-binary, Debian 12's plain clang-tidy (LLVM 14) runs
// and the plugin's version guard refuses it. clang-tidy-diff 15 and 16 then
// still end with status 0 (they never pass clang-tidy's status on), which is
// why docs/usage.md tells a lint job on those majors to check the output:
// RUN: cd %t/proj && git diff -U0 HEAD | env PATH=/usr/bin:/bin %expect_exit %diff_status_on_failure clang-tidy-diff-%llvm_version.py -p1 -path build -load=%plugin -checks='-*,pipe-*' > %t/plain.txt 2>&1
// RUN: FileCheck %s --check-prefix=PLAIN -DMAJOR=%llvm_version < %t/plain.txt
// PLAIN: pipe-tidy plugin was built for LLVM [[MAJOR]] but was loaded by a clang-tidy of LLVM 14
//
// A patch that touches only other lines reports nothing:
// RUN: git -C %t/proj checkout -q reader.c && sed -i 's|^int wait_for_token|int  wait_for_token|' %t/proj/reader.c
// RUN: cd %t/proj && git diff -U0 HEAD | env PATH=/usr/bin:/bin clang-tidy-diff-%llvm_version.py -p1 -path build -clang-tidy-binary clang-tidy-%llvm_version -load=%plugin -checks='-*,pipe-*' > %t/other.txt 2>&1
// RUN: FileCheck %s --check-prefix=OTHER --implicit-check-not='warning:' < %t/other.txt
// OTHER: Suppressed {{[0-9]+}} warnings ({{[0-9]+}} due to line filter)
//
// The gate of docs/usage.md (`! grep`) finds, so fails on the finding, and on a clang-tidy that
// refused the plugin, and passes on the patch that touches other lines:
// RUN: %expect_exit 0 grep -E '(^|: )(warning|error):' %t/diff.txt
// RUN: %expect_exit 0 grep -E '(^|: )(warning|error):' %t/plain.txt
// RUN: %expect_exit 1 grep -E '(^|: )(warning|error):' %t/other.txt

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

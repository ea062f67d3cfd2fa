// The clang-tidy-diff recipe for LLVM 14 (docs/usage.md#clang-tidy-diff):
// its clang-tidy-diff has no -load, so the binary it runs is
// pipe-clang-tidy, which has the checks built in.
//
// REQUIRES: llvm-14, pipe-clang-tidy
// RUN: rm -rf %t && mkdir -p %t/proj/build %t/bin && cp %s %t/proj/reader.c
// RUN: ln -s %build_dir/bin/pipe-clang-tidy %t/bin/pipe-clang-tidy
// RUN: printf '[{"directory": "%t/proj", "file": "reader.c", "arguments": ["cc", "-c", "reader.c"]}]' > %t/proj/build/compile_commands.json
// RUN: git -C %t/proj init -q && git -C %t/proj add reader.c && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
// RUN: sed -i 's|return (int)read(fds\[0\], &c, 1);|return (int)read(fds[0], \&c, sizeof c);|' %t/proj/reader.c
// RUN: cd %t/proj && git diff -U0 HEAD | env PATH=%t/bin:/usr/bin:/bin clang-tidy-diff-14.py -p1 -path build -clang-tidy-binary pipe-clang-tidy -checks='-*,pipe-*' > %t/diff.txt 2>&1
// RUN: FileCheck %s --check-prefix=DIFF < %t/diff.txt
// DIFF: reader.c:[[@LINE+9]]:15: warning: read from 'fds[0]' blocks forever

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

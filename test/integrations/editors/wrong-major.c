// A plugin of another LLVM major in an editor's clang-tidy command (ALE's
// extra options, the C/C++ extension's args, flycheck-clang-tidy's extra
// options): the version guard stops clang-tidy with status 3 before it
// prints anything on stdout, which is all the editors parse, so they show
// no finding; the reason is on stderr, which they put in their logs
// (docs/editors.md#troubleshooting).
//
// REQUIRES: other-plugin
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: cd %t && not %clang_tidy -checks='-*,pipe-*' '--load=%other_plugin' %t/reader.c -- -std=gnu11 > %t/out.txt 2> %t/err.txt
// RUN: %python %S/Inputs/editor_parsers.py ale --buffer %t/reader.c < %t/out.txt | count 0
// RUN: FileCheck %s < %t/err.txt
// CHECK: error: pipe-tidy plugin was built for LLVM [[#]] but was loaded by a clang-tidy of LLVM [[#]]; load PipeTidy-llvm[[#]].so instead

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

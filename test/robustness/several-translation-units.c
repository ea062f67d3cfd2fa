// One clang-tidy run over several translation units: the checks are
// destroyed and made again between them, and the analyses shared between
// the checks must not outlive their unit (a crash in LLVM 22 once, when the
// next unit's ASTContext took the address of the previous one: in about one
// run in four, so this test caught it only sometimes). The files are given
// three times each; clang-tidy prints a repeated finding once.
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c -- -std=gnu11 2>&1 | FileCheck %s
// CHECK-DAG: several-translation-units.c:[[@LINE+15]]:3: warning: write end 'fds[1]' of the pipe is still open when 'first_unit' returns here
// CHECK-DAG: second-unit.c:29:3: warning: write end 'fds[1]' of the pipe is still open when 'second_unit' returns here
// CHECK-NOT: Stack dump
#include <unistd.h>

int reader(int fd);

int first_unit(void)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  if (fork() == 0)
    _exit(reader(fds[0]));
  close(fds[0]);
  return 0;
}

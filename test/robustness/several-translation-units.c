// One clang-tidy run over several translation units: the checks are
// destroyed and made again between them, and the analyses shared between
// the checks must not outlive their unit (a crash in LLVM 22 once, when the
// next unit's ASTContext took the address of the previous one). The files
// are given three times each; clang-tidy prints a repeated finding once.
//
// That address is reused by chance only (about one run in four), so a plain run
// catches a cache that outlives its unit only sometimes. The
// deterministic form: PIPE_TIDY_TEST_SAME_ASTCONTEXT=1 makes the checks act
// as if every unit's ASTContext had the previous one's address, and
// MALLOC_PERTURB_ fills the memory of the destroyed checks with garbage, so
// that an analysis or summary kept from the previous unit crashes or loses
// a finding every time. PIPE_TIDY_STATS shows each function analysed anew
// in every unit.
// RUN: env PIPE_TIDY_TEST_SAME_ASTCONTEXT=1 MALLOC_PERTURB_=165 PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c -- -std=gnu11 > %t.same 2>&1
// RUN: FileCheck %s --input-file=%t.same
// RUN: FileCheck %s --check-prefix=STATS --input-file=%t.same
// The same run as it happens: it must pass too (it once hung or crashed
// here about one run in four).
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c %s %S/Inputs/second-unit.c -- -std=gnu11 2>&1 | FileCheck %s
// CHECK-DAG: several-translation-units.c:[[@LINE+27]]:3: warning: write end 'fds[1]' of the pipe is still open when 'first_unit' returns here
// CHECK-DAG: second-unit.c:29:3: warning: write end 'fds[1]' of the pipe is still open when 'second_unit' returns here
// CHECK-NOT: Stack dump
// STATS: pipe-tidy-stats: {{.*}}several-translation-units.c:[[#FIRST:@LINE+16]]:5 'first_unit'
// STATS-NOT: pipe-tidy-stats
// STATS: pipe-tidy-stats: {{.*}}second-unit.c:20:5 'second_unit'
// STATS-NOT: pipe-tidy-stats
// STATS: pipe-tidy-stats: {{.*}}several-translation-units.c:[[#FIRST]]:5 'first_unit'
// STATS-NOT: pipe-tidy-stats
// STATS: pipe-tidy-stats: {{.*}}second-unit.c:20:5 'second_unit'
// STATS-NOT: pipe-tidy-stats
// STATS: pipe-tidy-stats: {{.*}}several-translation-units.c:[[#FIRST]]:5 'first_unit'
// STATS-NOT: pipe-tidy-stats
// STATS: pipe-tidy-stats: {{.*}}second-unit.c:20:5 'second_unit'
// STATS-NOT: pipe-tidy-stats
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

// ALE (dense-analysis/ale) without Vim: the command lines its clang-tidy
// linters build (ale_linters/c/clangtidy.vim, ale_linters/cpp/clangtidy.vim:
//   %e [-checks=<g:ale_c_clangtidy_checks>] [<extra_options>] %s
//      [-p <build dir>] [-- <g:ale_c_clangtidy_options and found cflags>]
// output_stream stdout) with our executables in %e, parsed with ALE's
// handler pattern (Inputs/editor_parsers.py ale). ale-vim.c runs the real
// ALE when Vim and vim-ale are installed.
//
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %s %t/proj/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf '[{"directory": "%t/proj/build", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -c %t/proj/reader.c"}]' > %t/proj/build/compile_commands.json
//
// Stock clang-tidy with the plugin in g:ale_c_clangtidy_extra_options, a
// compilation database found in build/:
// RUN: cd %t/proj && %clang_tidy -checks='-*,pipe-*' '--load=%plugin' %t/proj/reader.c -p %t/proj/build 2>%t/load.err | %python %S/Inputs/editor_parsers.py ale --buffer %t/proj/reader.c | FileCheck %s --check-prefix=ALE
// ALE: ALE W <buffer>:[[@LINE+32]]:3 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}} [pipe-unclosed-write-end]
// ALE-NEXT: ALE-DETAIL {{.*}}reader.c:[[@LINE+29]]:7: note: pipe created here
// ALE-NEXT: ALE W <buffer>:[[@LINE+30]]:15 read from 'fds[0]' blocks forever: {{.*}} [pipe-self-deadlock]
// ALE-NEXT: ALE-DETAIL {{.*}}reader.c:[[@LINE+27]]:7: note: pipe created here
//
// No compilation database: the flags come after --:
// RUN: cd %t/proj && %clang_tidy -checks='-*,pipe-*' '--load=%plugin' %t/proj/reader.c -- -std=gnu11 2>%t/load2.err | %python %S/Inputs/editor_parsers.py ale --buffer %t/proj/reader.c | FileCheck %s --check-prefix=ALE
//
// The pipe-tidy wrapper in %e (its clang-tidy from $CLANG_TIDY): the same
// items; its "checks active" line is on stderr, which ALE does not read:
// RUN: cd %t/proj && env CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%plugin %pipe_tidy -checks='-*,pipe-*' %t/proj/reader.c -p %t/proj/build 2>%t/wrapper.err | %python %S/Inputs/editor_parsers.py ale --buffer %t/proj/reader.c | FileCheck %s --check-prefix=ALE
// RUN: FileCheck %s --check-prefix=WRAPPER-ERR < %t/wrapper.err
// WRAPPER-ERR: pipe-tidy: {{.*}}: 6 pipe checks active
//
// A compilation database whose "file" entries are relative: clang-tidy
// then names the file relative to the build directory, and ALE 3.3's C
// handler takes that name as it is: the items land on another buffer
// (docs/editors.md#troubleshooting). CMake and bear write absolute paths.
// RUN: printf '[{"directory": "%t/proj/build", "file": "../reader.c", "command": "cc -std=gnu11 -c ../reader.c"}]' > %t/proj/build/compile_commands.json
// RUN: cd %t/proj && %clang_tidy -checks='-*,pipe-*' '--load=%plugin' %t/proj/reader.c -p %t/proj/build 2>%t/rel.err | %python %S/Inputs/editor_parsers.py ale --buffer %t/proj/reader.c | FileCheck %s --check-prefix=RELATIVE
// RELATIVE: ALE W ../reader.c:[[@LINE+12]]:15 read from 'fds[0]'
//
// pipe-clang-tidy in %e is tested with the real ALE in ale-vim.c, and its
// output is the same as this clang-tidy's (integrations/pipe-clang-tidy.c).

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

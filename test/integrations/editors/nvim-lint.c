// nvim-lint (mfussenegger/nvim-lint) without Neovim: its clangtidy linter
// (lua/lint/linters/clangtidy.lua: cmd 'clang-tidy', args {'--quiet'},
// stdin false, so lua/lint.lua appends the buffer's full path; cwd is
// Neovim's; stdout is parsed) with our executable as cmd, parsed with its
// pattern (Inputs/editor_parsers.py nvim-lint). The checks come from the
// project's .clang-tidy, as nvim-lint passes none.
//
// RUN: rm -rf %t && mkdir -p %t/proj && cp %s %t/proj/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf 'Checks: "-*,pipe-*"\n' > %t/proj/.clang-tidy
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy --quiet %t/proj/reader.c 2>%t/err.txt > %t/out.txt
//
// The stock pattern ends the message at the first '[': our messages name
// array elements ('fds[0]'), so the editor shows them cut there.
// RUN: %python %S/Inputs/editor_parsers.py nvim-lint --buffer %t/proj/reader.c --cwd %t/proj < %t/out.txt | FileCheck %s --check-prefix=STOCK
// STOCK: NVIM-LINT WARN lnum=[[@LINE+30]] col=2 code=- message='wait_for_token' leaks the write end 'fds{{$}}
// STOCK-NEXT: NVIM-LINT HINT lnum=[[@LINE+27]] col=6 code=- message=pipe created here
// STOCK-NEXT: NVIM-LINT WARN lnum=[[@LINE+28]] col=14 code=- message=read from 'fds{{$}}
//
// docs/editors.md's parser (the check name as the diagnostic's code, the
// whole message, notes left out):
// RUN: %python %S/Inputs/editor_parsers.py nvim-lint --pattern full --buffer %t/proj/reader.c --cwd %t/proj < %t/out.txt | FileCheck %s --check-prefix=FULL
// FULL: NVIM-LINT WARN lnum=[[@LINE+23]] col=2 code=pipe-unclosed-write-end message='wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}}close them on this path{{$}}
// FULL-NEXT: NVIM-LINT WARN lnum=[[@LINE+22]] col=14 code=pipe-self-deadlock message=read from 'fds[0]' blocks forever: {{.*}}do not read here{{$}}
//
// With no compilation database above the file clang-tidy says so on
// stderr, which nvim-lint does not parse, and checks the file without
// flags:
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// ERR: Error while trying to load a compilation database
//
// A compilation database in build/: nvim-lint's args += {'-p', 'build'}
// (relative to Neovim's cwd):
// RUN: mkdir -p %t/proj/build && printf '[{"directory": "%t/proj/build", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -c %t/proj/reader.c"}]' > %t/proj/build/compile_commands.json
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy --quiet -p build %t/proj/reader.c 2>%t/err-p.txt | %python %S/Inputs/editor_parsers.py nvim-lint --pattern full --buffer %t/proj/reader.c --cwd %t/proj | FileCheck %s --check-prefix=FULL
// RUN: not grep -q 'compilation database' %t/err-p.txt
//
// REQUIRES: pipe-clang-tidy

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

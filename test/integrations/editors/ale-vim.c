// The real ALE (Debian's vim-ale) in a headless Vim, set up as
// docs/editors.md#vim-and-neovim-ale says: its ~/.vimrc lines, taken from
// the page, load ALE (packadd! ale) and choose the linter. ALE builds the clang-tidy command itself
// (ale_linters/c/clangtidy.vim, ale_linters/cpp/clangtidy.vim), runs it, and
// parses the output into the buffer's list. COMMAND is what ALE ran, ITEM
// what the user sees (type, line, column, text), DETAIL what :ALEDetail
// shows (our notes).
//
// REQUIRES: vim-ale, pipe-clang-tidy
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %s %t/proj/reader.c && cp %s %t/proj/reader.cpp
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf '[{"directory": "%t/proj/build", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -c %t/proj/reader.c"}]' > %t/proj/build/compile_commands.json
// RUN: mkdir -p %t/home && %python %S/Inputs/doc_block.py %repo_root/docs/editors.md 'packadd! ale' > %t/vimrc
//
// Debian's vim-ale is an optional package: without packadd! ale in the
// vimrc, Vim has no ALE at all.
// RUN: grep -v 'packadd! ale' %t/vimrc > %t/vimrc-nopackadd
// RUN: cd %t/proj && env HOME=%t/home ALE_FILE=reader.c ALE_OUT=%t/nopackadd.txt timeout 300 vim -Nu %t/vimrc-nopackadd -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=NOPACKADD < %t/nopackadd.txt
// NOPACKADD: NO-ALE
//
// pipe-clang-tidy in the executable slot, the checks list, and a build/
// with compile_commands.json, which ALE finds and passes with -p:
// RUN: cd %t/proj && env HOME=%t/home ALE_FILE=reader.c ALE_OUT=%t/c.txt ALE_EXECUTABLE=%build_dir/bin/pipe-clang-tidy ALE_CHECKS='-*,pipe-*' timeout 300 vim -Nu %t/vimrc -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=C --implicit-check-not=TIMEOUT --implicit-check-not=NO-ALE < %t/c.txt
// C: COMMAND '{{.*}}/bin/pipe-clang-tidy' -checks='-*,pipe-*' '{{.*}}/proj/reader.c' -p '{{.*}}/proj/build'
// C: ITEM W <buffer>:[[@LINE+44]]:3 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}} [pipe-unclosed-write-end]
// C-NEXT: DETAIL {{.*}} | {{.*}}/proj/reader.c:[[@LINE+41]]:7: note: pipe created here
// C-NEXT: ITEM W <buffer>:[[@LINE+42]]:15 read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' {{.*}} [pipe-self-deadlock]
//
// A C++ buffer: the cpp linter, no compilation database, compiler flags
// from g:ale_cpp_clangtidy_options after --:
// RUN: cd %t/proj && rm -r build && env HOME=%t/home ALE_FILE=reader.cpp ALE_OUT=%t/cpp.txt ALE_EXECUTABLE=%build_dir/bin/pipe-clang-tidy ALE_CHECKS='-*,pipe-self-deadlock' ALE_OPTIONS=-std=c++17 timeout 300 vim -Nu %t/vimrc -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=CPP --implicit-check-not=TIMEOUT < %t/cpp.txt
// CPP: COMMAND '{{.*}}/bin/pipe-clang-tidy' -checks='-*,pipe-self-deadlock' '{{.*}}/proj/reader.cpp' -- -std=c++17
// CPP: ITEM W <buffer>:[[@LINE+35]]:15 read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock]
//
// Stock clang-tidy of the plugin's LLVM, the plugin passed in
// g:ale_c_clangtidy_extra_options (ALE quotes it as one argument):
// RUN: cd %t/proj && env HOME=%t/home ALE_FILE=reader.c ALE_OUT=%t/load.txt ALE_EXECUTABLE=%clang_tidy ALE_CHECKS='-*,pipe-*' ALE_EXTRA=--load=%plugin ALE_OPTIONS=-std=gnu11 timeout 300 vim -Nu %t/vimrc -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=LOAD --implicit-check-not=TIMEOUT < %t/load.txt
// LOAD: COMMAND '{{.*}}clang-tidy' -checks='-*,pipe-*' '--load={{.*}}PipeTidy-llvm{{[0-9]+}}.so' '{{.*}}/proj/reader.c' -- -std=gnu11
// LOAD: ITEM W <buffer>:[[@LINE+28]]:3 'wait_for_token' leaks the write end 'fds[1]'{{.*}}[pipe-unclosed-write-end]
// LOAD: ITEM W <buffer>:[[@LINE+27]]:15 read from 'fds[0]'{{.*}}[pipe-self-deadlock]
//
// The pipe-tidy wrapper in the executable slot; its own options cannot
// follow ALE's -checks, so the clang-tidy it runs comes from $CLANG_TIDY.
// Its "checks active" line goes to stderr, which ALE does not parse:
// RUN: cd %t/proj && env HOME=%t/home CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%plugin ALE_FILE=reader.c ALE_OUT=%t/wrapper.txt ALE_EXECUTABLE=%repo_root/tools/pipe-tidy ALE_CHECKS='-*,pipe-*' ALE_OPTIONS=-std=gnu11 timeout 300 vim -Nu %t/vimrc -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=WRAPPER --implicit-check-not=TIMEOUT < %t/wrapper.txt
// WRAPPER: COMMAND '{{.*}}/tools/pipe-tidy' -checks='-*,pipe-*' '{{.*}}/proj/reader.c' -- -std=gnu11
// WRAPPER-NOT: ITEM {{.*}}pipe-tidy:
// WRAPPER: ITEM W <buffer>:[[@LINE+18]]:3 'wait_for_token' leaks the write end 'fds[1]'{{.*}}[pipe-unclosed-write-end]
// WRAPPER: ITEM W <buffer>:[[@LINE+17]]:15 read from 'fds[0]'{{.*}}[pipe-self-deadlock]
//
// A plugin that does not load (a wrong path): clang-tidy knows no pipe-*
// check, says so on stderr and prints its --help on stdout, which ALE turns
// into nonsense items on line 1 (docs/editors.md#troubleshooting):
// RUN: cd %t/proj && env HOME=%t/home ALE_FILE=reader.c ALE_OUT=%t/none.txt ALE_EXECUTABLE=%clang_tidy ALE_CHECKS='-*,pipe-*' ALE_EXTRA=--load=%t/missing.so ALE_OPTIONS=-std=gnu11 timeout 300 vim -Nu %t/vimrc -i NONE -es -S %S/Inputs/ale-lint.vim
// RUN: FileCheck %s --check-prefix=NONE --implicit-check-not='[pipe-' < %t/none.txt
// NONE: COMMAND '{{.*}}clang-tidy' -checks='-*,pipe-*' '--load={{.*}}missing.so'
// NONE: ITEM W {{.*}}:1:0

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

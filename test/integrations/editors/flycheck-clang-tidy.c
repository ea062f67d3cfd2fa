// flycheck-clang-tidy (ch1bo/flycheck-clang-tidy) without Emacs: the
// command its checker c/c++-clang-tidy runs (flycheck-clang-tidy.el):
//   <flycheck-clang-tidy-executable> -p <flycheck-clang-tidy-build-path>
//     -extra-arg=-I<buffer's directory> -config=<the .clang-tidy file's text>
//     [<flycheck-clang-tidy-extra-options>] <source>
// in the project root, where <source> is Flycheck's copy of the buffer in
// a temporary directory; parsed with its :error-patterns
// (Inputs/editor_parsers.py flycheck).
//
// RUN: rm -rf %t && mkdir -p %t/proj/build %t/flycheck-tmp && cp %s %t/proj/reader.c && cp %s %t/flycheck-tmp/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf '[{"directory": "%t/proj/build", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -c %t/proj/reader.c"}]' > %t/proj/build/compile_commands.json
// RUN: printf "Checks: '-*,pipe-*'" > %t/proj/.clang-tidy
//
// pipe-clang-tidy as flycheck-clang-tidy-executable: the copy is outside
// the project, so the checks come only from -config (the project's
// .clang-tidy, which flycheck-clang-tidy reads and passes):
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy -p build -extra-arg=-I%t/proj/ "-config=Checks: '-*,pipe-*'" %t/flycheck-tmp/reader.c 2>%t/err.txt | %python %S/Inputs/editor_parsers.py flycheck | FileCheck %s --check-prefix=FLY
// FLY: FLYCHECK warning reader.c:[[@LINE+34]]:3 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}} [pipe-unclosed-write-end]
// FLY-NEXT: FLYCHECK info reader.c:[[@LINE+31]]:7 pipe created here
// FLY-NEXT: FLYCHECK warning reader.c:[[@LINE+32]]:15 read from 'fds[0]' blocks forever: {{.*}} [pipe-self-deadlock]
// FLY-NEXT: FLYCHECK info reader.c:[[@LINE+29]]:7 pipe created here
//
// No .clang-tidy in the project: flycheck-clang-tidy passes -config= with
// nothing after it, and an empty -config makes clang-tidy read no
// .clang-tidy file at all: LLVM 19 runs its default checks, LLVM 22 none
// ("Error: no checks enabled."); no pipe check either way:
// RUN: cd %t/proj && sh -c '%build_dir/bin/pipe-clang-tidy -p build -extra-arg=-I%t/proj/ -config= %t/flycheck-tmp/reader.c > %t/none.txt 2>&1; echo "exit status $?"' > %t/none.status
// RUN: not grep -q '\[pipe-' %t/none.txt && FileCheck %s --check-prefix=NONE-STATUS --input-file=%t/none.status
// ... unless flycheck-clang-tidy-extra-options names them (one argument):
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy -p build -extra-arg=-I%t/proj/ -config= --checks=-*,pipe-* %t/flycheck-tmp/reader.c 2>%t/err3.txt | %python %S/Inputs/editor_parsers.py flycheck | FileCheck %s --check-prefix=FLY
//
// Stock clang-tidy of the plugin's LLVM, the plugin in
// flycheck-clang-tidy-extra-options:
// RUN: cd %t/proj && %clang_tidy -p build -extra-arg=-I%t/proj/ "-config=Checks: '-*,pipe-*'" --load=%plugin %t/flycheck-tmp/reader.c 2>%t/err4.txt | %python %S/Inputs/editor_parsers.py flycheck | FileCheck %s --check-prefix=FLY
//
// The pipe-tidy wrapper as the executable (its clang-tidy from
// $CLANG_TIDY): a -config without pipe-* makes it stop with status 3 and a
// message on stderr, instead of Flycheck showing nothing without a word:
// RUN: cd %t/proj && env CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%plugin %pipe_tidy -p build -extra-arg=-I%t/proj/ "-config=Checks: '-*,pipe-*'" %t/flycheck-tmp/reader.c 2>%t/err5.txt | %python %S/Inputs/editor_parsers.py flycheck | FileCheck %s --check-prefix=FLY
// RUN: cd %t/proj && not env CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%plugin %pipe_tidy -p build -extra-arg=-I%t/proj/ -config= %t/flycheck-tmp/reader.c 2>&1 | FileCheck %s --check-prefix=NOPIPE
// NOPIPE: pipe-tidy: error: no pipe-* check is enabled for {{.*}}reader.c
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

// The run without pipe checks above exits with 0 or 1 by major, and never
// crashes (a crash used to be hidden by `|| true`):
// NONE-STATUS: {{^}}exit status {{[01]$}}
// RUN: not grep -q 'Stack dump' %t/none.txt

// `pipe-tidy -p build` without files analyses every file of the
// compilation database, in parallel (-j), with a progress line per file and
// a summary, like run-clang-tidy. Files from `git ls-files` that are not in
// the database are skipped with a note instead of failing to compile.
// Options take their values as clang-tidy does (-export-fixes FILE,
// --export-fixes=FILE), and a relative --config-file or -p means what it
// means in the caller's directory.
//
// A project: two readers with a finding each and a clean file in the
// database; a generated file in git that is not (and does not compile).
// RUN: rm -rf %t && mkdir -p %t/proj/src %t/proj/build %t/proj/conf %t/proj/sub
// RUN: cp %s %t/proj/src/one.c && cp %s %t/proj/src/two.c
// RUN: printf '#include <unistd.h>\nint done(int fd) { return close(fd); }\n' > %t/proj/src/clean.c
// RUN: printf 'int generated(void) { return not_declared_here; }\n' > %t/proj/src/generated.c
// RUN: printf '[{"directory": "%t/proj", "file": "src/one.c", "arguments": ["cc", "-c", "src/one.c"]},\n {"directory": "%t/proj/src", "file": "two.c", "arguments": ["cc", "-c", "two.c"]},\n {"directory": "%t/proj", "file": "%t/proj/src/clean.c", "arguments": ["cc", "-c", "src/clean.c"]}]\n' > %t/proj/build/compile_commands.json
// RUN: printf 'Checks: "-*,pipe-self-deadlock"\n' > %t/proj/conf/tidy.yaml
// RUN: git -C %t/proj init -q && git -C %t/proj add src
//
// The whole database, from a subdirectory, with relative paths:
// RUN: cd %t/proj/sub && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p ../build -j 2 --config-file ../conf/tidy.yaml -export-fixes fixes.yaml > %t/all.txt 2>&1
// RUN: FileCheck %s --check-prefix=ALL < %t/all.txt
// ALL: pipe-tidy: using {{.*}}: 1 pipe check active (pipe-self-deadlock)
// ALL-DAG: [{{[1-3]}}/3] {{.*}}src/one.c
// ALL-DAG: [{{[1-3]}}/3] {{.*}}src/two.c
// ALL-DAG: [{{[1-3]}}/3] {{.*}}src/clean.c
// ALL-DAG: one.c:[[@LINE+40]]:15: warning: read from 'fds[0]' blocks forever
// ALL-DAG: two.c:[[@LINE+39]]:15: warning: read from 'fds[0]' blocks forever
// ALL: pipe-tidy: 3 files in {{[0-9.]+}} s: 2 findings (pipe-self-deadlock: 2)
// ALL: exit status: 0
// The fixes of both files in one file, in the caller's directory:
// RUN: %python -c "import yaml; d = yaml.safe_load(open('%t/proj/sub/fixes.yaml')); import os; print(sorted(os.path.basename(x['DiagnosticMessage']['FilePath']) for x in d['Diagnostics']))" | FileCheck %s --check-prefix=FIXES
// FIXES: ['one.c', 'two.c']
//
// The files git knows, as a recipe gives them (`git ls-files '*.c'`): the
// generated one is skipped with a note. --export-fixes=FILE works too.
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings -p build --config-file=conf/tidy.yaml --export-fixes=out/../fixes.yaml src/clean.c src/generated.c src/one.c src/two.c > %t/git.txt 2>&1
// RUN: FileCheck %s --check-prefix=GIT --implicit-check-not=not_declared_here < %t/git.txt
// GIT: pipe-tidy: note: skipping src/generated.c: git tracks it but {{.*}}build/compile_commands.json does not have it
// GIT: pipe-tidy: 3 files in {{[0-9.]+}} s: 2 findings (pipe-self-deadlock: 2), 1 skipped (not in the compilation database)
// GIT: exit status: 1
// RUN: test -f %t/proj/fixes.yaml
//
// --fix edits files: one clang-tidy at a time, whatever -j says.
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin -p build -j 2 --fix --config-file=conf/tidy.yaml 2>&1 | FileCheck %s --check-prefix=FIX
// FIX: pipe-tidy: note: --fix: one file at a time, so that two clang-tidy never edit the same header at once
// FIX: pipe-tidy: 3 files in
//
// A file that git does not track (an editor's temporary copy) is analysed
// with the flags clang-tidy infers from the database:
// RUN: mkdir -p %t/proj/.tmp && cp %s %t/proj/.tmp/one.c
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin -p build --config-file=conf/tidy.yaml .tmp/one.c 2>&1 | FileCheck %s --check-prefix=UNTRACKED --implicit-check-not=skipping
// UNTRACKED: .tmp/one.c:[[@LINE+14]]:15: warning: read from 'fds[0]' blocks forever
//
// Only files the database does not have: no input (2), not a silent pass.
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p build src/generated.c 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: pipe-tidy: error: no input: none of the 1 files given is in {{.*}}compile_commands.json
// NONE: exit status: 2

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

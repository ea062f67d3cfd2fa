// The wrapper's exit statuses, which CI acts on (pipe-tidy --help and
// docs/usage.md#exit-status): 0 clean, 1 findings with --fail-on-findings,
// 2 the analysis failed (compiler error, bad option value, no input),
// 3 misconfiguration (no pipe-* check, a plugin of another major, a
// configuration that does not parse). status.py prints the exact status.
//
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/reader.c
// RUN: printf '#include <unistd.h>\nint done(int fd) { return close(fd); }\n' > %t/clean.c
// RUN: printf 'int broken(void) { return undefined_thing; }\n' > %t/broken.c

//
// 0: nothing to report.
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --config={} -checks='-*,pipe-*' clean.c -- 2>&1 | FileCheck %s --check-prefix=CLEAN
// CLEAN: 6 pipe checks active
// CLEAN: exit status: 0
//
// Findings are output, not failure, without --fail-on-findings (0), and
// fail the run with it (1):
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' reader.c -- 2>&1 | FileCheck %s --check-prefix=FOUND
// FOUND: reader.c:[[@LINE+50]]:15: warning: read from 'fds[0]' blocks forever
// FOUND: exit status: 0
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --config={} -checks='-*,pipe-*' reader.c -- 2>&1 | FileCheck %s --check-prefix=FAIL
// FAIL: reader.c:[[@LINE+47]]:15: error: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock,-warnings-as-errors]
// FAIL: exit status: 1
//
// 2: a compiler error (also next to a finding), a bad option value, no input.
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --config={} -checks='-*,pipe-*' reader.c broken.c -- 2>&1 | FileCheck %s --check-prefix=BROKEN
// BROKEN-DAG: broken.c:1:27: error: use of undeclared identifier 'undefined_thing'
// BROKEN-DAG: pipe-tidy: error: broken.c: compiler error
// BROKEN-DAG: pipe-tidy: 2 files in {{.*}}: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 1 failed
// BROKEN: exit status: 2
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: 'lots'}]}" -checks='-*,pipe-*' clean.c -- 2>&1 | FileCheck %s --check-prefix=BADVALUE
// BADVALUE: pipe-tidy: error: clean.c: a bad option value: {{.*}}invalid value 'lots' for option 'pipe-self-deadlock.PipeCapacity': expected a positive integer (bytes)
// BADVALUE: exit status: 2
// A crash: a clang-tidy that dies of SIGSEGV on one file.
// RUN: printf '#!/bin/sh\nfor a in "$@"; do case $a in *crash.c) kill -SEGV $$;; esac; done\nexec %clang_tidy "$@"\n' > %t/crashing-clang-tidy && chmod +x %t/crashing-clang-tidy && cp %t/clean.c %t/crash.c
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --clang-tidy %t/crashing-clang-tidy --plugin %plugin --config={} -checks='-*,pipe-*' clean.c crash.c -- 2>&1 | FileCheck %s --check-prefix=CRASH
// CRASH: pipe-tidy: error: crash.c: clang-tidy crashed (signal 11)
// CRASH: exit status: 2
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' 2>&1 | FileCheck %s --check-prefix=NOINPUT
// NOINPUT: pipe-tidy: error: no input: give source files, or -p BUILD_DIR
// NOINPUT: exit status: 2
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p %t/nowhere -checks='-*,pipe-*' 2>&1 | FileCheck %s --check-prefix=NODB
// NODB: pipe-tidy: error: no compilation database: {{.*}}nowhere/compile_commands.json does not exist
// NODB: exit status: 2
//
// 3: no pipe check enabled, a configuration that does not parse (on every
// major), a plugin of another major.
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,bugprone-infinite-loop' reader.c -- 2>&1 | FileCheck %s --check-prefix=NOPIPE
// NOPIPE: pipe-tidy: error: no pipe-* check is enabled
// NOPIPE: exit status: 3
// RUN: mkdir -p %t/badyaml && cp %t/clean.c %t/badyaml/ && printf 'Checks: "-*,pipe-*"\nCheckOptions: [\n' > %t/badyaml/.clang-tidy
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin badyaml/clean.c -- 2>&1 | FileCheck %s --check-prefix=BADYAML
// BADYAML: pipe-tidy: error: could not parse the configuration file {{.*}}badyaml/.clang-tidy: {{.*}}clang-tidy{{.*}} (LLVM {{[0-9]+}}) said:
// BADYAML: exit status: 3
// RUN: cp %plugin %t/PipeTidy-llvm1.so
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --clang-tidy %clang_tidy --plugin %t/PipeTidy-llvm1.so -checks='pipe-*' clean.c -- 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: pipe-tidy: error: plugin {{.*}}PipeTidy-llvm1.so is built for LLVM 1, but this clang-tidy is LLVM {{[0-9]+}}
// MISMATCH: exit status: 3
//
// A missing pipe-tidy-sarif is 4 (tested with --sarif in test/integrations/sarif.c).

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

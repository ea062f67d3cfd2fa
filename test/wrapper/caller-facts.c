// `pipe-tidy --caller-facts -p build` with no file runs two passes: the first records what
// every call does when a function fails (no analysis), the second analyses
// with those facts, so that a leak on a failure return whose callers, in
// another file, all end the process is not reported. Here start_job()
// (lib.c) leaks on failure and its only caller (main.c) exits: silent;
// start_worker()'s caller carries on: reported. Without --caller-facts (the
// default; --no-caller-facts says so), a run on given files, and plain
// clang-tidy report both.
//
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp -r %S/Inputs/caller-facts %t/proj/src
// RUN: printf '[{"directory": "%t/proj", "file": "src/lib.c", "arguments": ["cc", "-c", "src/lib.c"]},\n {"directory": "%t/proj", "file": "src/main.c", "arguments": ["cc", "-c", "src/main.c"]}]\n' > %t/proj/build/compile_commands.json
//
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p build -checks='-*,pipe-*' --caller-facts -j 2 > %t/two.txt 2>&1
// RUN: FileCheck %s --check-prefix=TWO --implicit-check-not='warning:' < %t/two.txt
// TWO: pipe-tidy: note: caller facts: first pass over 2 files in {{[0-9.]+}} s{{$}}
// TWO: lib.c:29:5: warning: write end 'fds[1]' of the pipe is still open when 'start_worker' returns here
// TWO: pipe-tidy: 2 files in {{[0-9.]+}} s: 1 finding (pipe-unclosed-write-end: 1)
// TWO: exit status: 0
//
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p build -checks='-*,pipe-*' > %t/one.txt 2>&1
// RUN: FileCheck %s --check-prefix=ONE --implicit-check-not='caller facts' < %t/one.txt
// ONE-DAG: lib.c:16:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job' returns here
// ONE-DAG: lib.c:29:5: warning: write end 'fds[1]' of the pipe is still open when 'start_worker' returns here
// ONE: pipe-tidy: 2 files in {{[0-9.]+}} s: 2 findings (pipe-unclosed-write-end: 2)
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin -p build -checks='-*,pipe-*' --no-caller-facts > %t/off.txt 2>&1
// RUN: FileCheck %s --check-prefix=ONE --implicit-check-not='caller facts' < %t/off.txt
//
// Given files: one file's callers, as before.
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin -p build -checks='-*,pipe-*' src/lib.c 2>&1 | FileCheck %s --check-prefix=GIVEN --implicit-check-not='caller facts'
// GIVEN-DAG: lib.c:16:5: warning: {{.*}}'start_job'
// GIVEN-DAG: lib.c:29:5: warning: {{.*}}'start_worker'
//
// Without pipe-unclosed-write-end there is nothing to ask: no first pass.
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin -p build -checks='-*,pipe-self-deadlock' 2>&1 | FileCheck %s --check-prefix=NOLEAKS --implicit-check-not='caller facts'
// NOLEAKS: pipe-tidy: 2 files in

int caller_facts_test;

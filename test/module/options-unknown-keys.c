// Misspelt option keys are warned about in every run, not only under
// --verify-config: each key under a "pipe-" prefix that no pipe check reads,
// and a global key that is a near miss of a pipe option, once per
// translation unit however many pipe checks are enabled, naming the key as
// written and the nearest key that exists. A warning does not change the
// exit status.
//
// A global option written with a prefix that is no check:
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-tidy.AnalysisBugdet, value: \"1000\"}]}" %s -- > %t.1 2>&1; echo "exit status $?" >> %t.1'
// RUN: FileCheck %s --check-prefixes=PREFIX,STATUS0 --input-file=%t.1
// PREFIX: warning: unknown option 'pipe-tidy.AnalysisBugdet': 'pipe-tidy' is not a pipe check; did you mean the global option 'AnalysisBudget'? [clang-tidy-config]
// PREFIX-NOT: unknown option
//
// A misspelt option of a check, whether that check is enabled or not:
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CloseFunctons, value: xclose}]}" %s -- > %t.2 2>&1; echo "exit status $?" >> %t.2'
// RUN: FileCheck %s --check-prefixes=LOCAL,STATUS0 --input-file=%t.2
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-self-copy" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CloseFunctons, value: xclose}]}" %s -- > %t.3 2>&1; echo "exit status $?" >> %t.3'
// RUN: FileCheck %s --check-prefixes=LOCAL,STATUS0 --input-file=%t.3
// LOCAL: warning: unknown option 'pipe-unclosed-write-end.CloseFunctons'; did you mean 'pipe-unclosed-write-end.CloseFunctions'? pipe-unclosed-write-end understands: AnalysisBudget, BorrowFunctions, CallerFactsFile, CheckSpawnInheritance, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCreateFunctions, ReadFunctions, ReportLeaksBeforeExit, ReportLeaksInTests, ReportOnErrors, SpawnFunctions, TestFileRegex, TestMacros, TestProgramFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions [clang-tidy-config]
// LOCAL-NOT: unknown option
//
// An option another check has, and a key with no near miss:
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-self-copy.PipeCapacity, value: \"4096\"}, {key: pipe-self-deadlock.PipeSize, value: \"4096\"}]}" %s -- 2>&1 | FileCheck %s --check-prefix=OTHER
// OTHER: warning: unknown option 'pipe-self-copy.PipeCapacity'; pipe-self-copy understands: AnalysisBudget, BorrowFunctions, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCreateFunctions, ReadFunctions, ReportOnErrors, SpawnFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions [clang-tidy-config]
// OTHER: warning: unknown option 'pipe-self-deadlock.PipeSize'; pipe-self-deadlock understands: AnalysisBudget, BorrowFunctions, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCapacity, PipeCreateFunctions, ReadFunctions, ReportOnErrors, SpawnFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions [clang-tidy-config]
// OTHER-NOT: unknown option
//
// A misspelt check name:
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-unclosed-write.CloseFunctions, value: xclose}, {key: pipe-nothing-like-it.Foo, value: x}]}" %s -- 2>&1 | FileCheck %s --check-prefix=CHECKNAME
// CHECKNAME: warning: unknown option 'pipe-nothing-like-it.Foo': 'pipe-nothing-like-it' is not a pipe check; the pipe checks are pipe-leaked-writer, pipe-self-copy, pipe-self-deadlock, pipe-unclosed-write-end, pipe-wait-before-drain, pipe-writer-error-ignored [clang-tidy-config]
// CHECKNAME: warning: unknown option 'pipe-unclosed-write.CloseFunctions': 'pipe-unclosed-write' is not a pipe check; did you mean 'pipe-unclosed-write-end.CloseFunctions'? [clang-tidy-config]
// CHECKNAME-NOT: unknown option
//
// A global key one letter off a pipe option; global keys of other checks
// (StrictMode) and the pipe options themselves are left alone:
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: AnalysisBugdet, value: \"1000\"}, {key: StrictMode, value: \"true\"}, {key: CloseFunctions, value: xclose}]}" %s -- > %t.4 2>&1; echo "exit status $?" >> %t.4'
// RUN: FileCheck %s --check-prefixes=GLOBAL,STATUS0 --input-file=%t.4
// GLOBAL: warning: unknown option 'AnalysisBugdet'; did you mean 'AnalysisBudget'? [clang-tidy-config]
// GLOBAL-NOT: unknown option
//
// A check-local-only option given as a global key:
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: CheckSpawnInheritance, value: \"false\"}]}" %s -- 2>&1 | FileCheck %s --check-prefix=LOCALONLY
// LOCALONLY: warning: unknown option 'CheckSpawnInheritance'; did you mean 'pipe-unclosed-write-end.CheckSpawnInheritance'? CheckSpawnInheritance has no global key [clang-tidy-config]
// LOCALONLY-NOT: unknown option
//
// Read from a .clang-tidy file, the way most projects set options:
// RUN: rm -rf %t.dir && mkdir -p %t.dir && cp %s %t.dir/file.c
// RUN: printf '%%s\n' "Checks: '-*,pipe-*'" "CheckOptions:" "  - key: pipe-wait-before-drain.PipeCapacty" "    value: '4096'" > %t.dir/.clang-tidy
// RUN: %clang_tidy --load=%plugin %t.dir/file.c -- 2>&1 | FileCheck %s --check-prefix=FILE
// FILE: warning: unknown option 'pipe-wait-before-drain.PipeCapacty'; did you mean 'pipe-wait-before-drain.PipeCapacity'? pipe-wait-before-drain understands: AnalysisBudget, BorrowFunctions, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCapacity, PipeCreateFunctions, ReadFunctions, ReportOnErrors, SpawnFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions [clang-tidy-config]
// FILE-NOT: unknown option
//
// Without a pipe check enabled the plugin says nothing.
// RUN: %clang_tidy --load=%plugin -checks="-*,misc-unused-parameters" -config="{CheckOptions: [{key: pipe-tidy.AnalysisBugdet, value: \"1000\"}]}" %s -- 2>&1 | FileCheck %s --allow-empty --check-prefix=NONE
// NONE-NOT: unknown option
//
// STATUS0: {{^}}exit status 0{{$}}
#include <unistd.h>

int send_byte(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  write(fds[1], "x", 1);
  close(fds[1]);
  close(fds[0]);
  return 0;
}

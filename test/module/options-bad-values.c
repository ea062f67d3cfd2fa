// Every pipe option with a bad value: one error, in the same form for all,
// that names the key as the configuration spells it (check-local or global)
// and says what the option accepts. clang-tidy reports it as a configuration
// error ([clang-tidy-config]), so the run ends with exit status 1, not with a
// crash (any other status, a signal included, fails the STATUS line). A
// global key that several enabled checks read is reported once.
//
// Numbers: AnalysisBudget and PipeCapacity take a positive integer.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: AnalysisBudget, value: lots}]}" %s -- > %t.1 2>&1; echo "exit status $?" >> %t.1'
// RUN: FileCheck %s --check-prefixes=BUDGET-LOTS,STATUS --input-file=%t.1
// BUDGET-LOTS: error: invalid value 'lots' for option 'AnalysisBudget': expected a positive integer (work units) [clang-tidy-config]
// BUDGET-LOTS-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-self-copy.AnalysisBudget, value: \"0\"}]}" %s -- > %t.2 2>&1; echo "exit status $?" >> %t.2'
// RUN: FileCheck %s --check-prefixes=BUDGET-ZERO,STATUS --input-file=%t.2
// BUDGET-ZERO: error: invalid value '0' for option 'pipe-self-copy.AnalysisBudget': expected a positive integer (work units) [clang-tidy-config]
// BUDGET-ZERO-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-wait-before-drain" -config="{CheckOptions: [{key: pipe-wait-before-drain.PipeCapacity, value: \"-5\"}]}" %s -- > %t.3 2>&1; echo "exit status $?" >> %t.3'
// RUN: FileCheck %s --check-prefixes=CAP-NEG,STATUS --input-file=%t.3
// CAP-NEG: error: invalid value '-5' for option 'pipe-wait-before-drain.PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
// CAP-NEG-NOT: invalid value
//
// The global key is read by three checks and reported once.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: PipeCapacity, value: \"64k\"}]}" %s -- > %t.4 2>&1; echo "exit status $?" >> %t.4'
// RUN: FileCheck %s --check-prefixes=CAP-64K,STATUS --input-file=%t.4
// CAP-64K: error: invalid value '64k' for option 'PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
// CAP-64K-NOT: invalid value
//
// Still once when the first check that reads it has a check-local key of its
// own (pipe-leaked-writer reads 4096; the others read the bad global key).
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: PipeCapacity, value: \"5000000000\"}, {key: pipe-leaked-writer.PipeCapacity, value: \"4096\"}]}" %s -- > %t.5 2>&1; echo "exit status $?" >> %t.5'
// RUN: FileCheck %s --check-prefixes=CAP-BIG,STATUS --input-file=%t.5
// CAP-BIG: error: invalid value '5000000000' for option 'PipeCapacity': expected a positive integer (bytes) of at most 4294967295 [clang-tidy-config]
// CAP-BIG-NOT: invalid value
//
// When no enabled check reads the bad global key, nothing is wrong.
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-leaked-writer" -config="{CheckOptions: [{key: PipeCapacity, value: \"-5\"}, {key: pipe-leaked-writer.PipeCapacity, value: \"4096\"}]}" %s -- 2>&1 | FileCheck %s --allow-empty --check-prefix=UNREAD
// UNREAD-NOT: invalid value
// UNREAD-NOT: error:
//
// Which key is read follows clang-tidy: a .clang-tidy that inherits its
// parent's and sets the global key wins over the parent's check-local key,
// so the error is about the key the check really read.
// RUN: rm -rf %t.dir && mkdir -p %t.dir/sub && cp %s %t.dir/sub/file.c
// RUN: printf '%%s\n' "Checks: '-*,pipe-wait-before-drain'" "CheckOptions:" "  - key: pipe-wait-before-drain.PipeCapacity" "    value: '4096'" > %t.dir/.clang-tidy
// RUN: printf '%%s\n' "InheritParentConfig: true" "CheckOptions:" "  - key: PipeCapacity" "    value: 'big'" > %t.dir/sub/.clang-tidy
// RUN: sh -c '%clang_tidy --load=%plugin %t.dir/sub/file.c -- > %t.13 2>&1; echo "exit status $?" >> %t.13'
// RUN: FileCheck %s --check-prefixes=INHERIT,STATUS --input-file=%t.13
// INHERIT: error: invalid value 'big' for option 'PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
// INHERIT-NOT: invalid value
//
// Booleans: CheckSpawnInheritance (check-local only), ReportLeaksBeforeExit
// and ReportOnErrors.
// clang-tidy's own spellings of a boolean are accepted.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-unclosed-write-end" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CheckSpawnInheritance, value: maybe}]}" %s -- > %t.6 2>&1; echo "exit status $?" >> %t.6'
// RUN: FileCheck %s --check-prefixes=SPAWN,STATUS --input-file=%t.6
// SPAWN: error: invalid value 'maybe' for option 'pipe-unclosed-write-end.CheckSpawnInheritance': expected 'true' or 'false' [clang-tidy-config]
// SPAWN-NOT: invalid value
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-unclosed-write-end" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CheckSpawnInheritance, value: \"off\"}]}" %s -- 2>&1 | FileCheck %s --allow-empty --check-prefix=UNREAD
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-unclosed-write-end" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CheckSpawnInheritance, value: \"False\"}]}" %s -- 2>&1 | FileCheck %s --allow-empty --check-prefix=UNREAD
//
// ReportLeaksBeforeExit (pipe-unclosed-write-end; a global key too):
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportLeaksBeforeExit, value: always}]}" %s -- > %t.15 2>&1; echo "exit status $?" >> %t.15'
// RUN: FileCheck %s --check-prefixes=BEFORE-EXIT,STATUS --input-file=%t.15
// BEFORE-EXIT: error: invalid value 'always' for option 'ReportLeaksBeforeExit': expected 'true' or 'false' [clang-tidy-config]
// BEFORE-EXIT-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-self-copy.ReportOnErrors, value: sometimes}]}" %s -- > %t.14 2>&1; echo "exit status $?" >> %t.14'
// RUN: FileCheck %s --check-prefixes=ONERRORS,STATUS --input-file=%t.14
// ONERRORS: error: invalid value 'sometimes' for option 'pipe-self-copy.ReportOnErrors': expected 'true' or 'false' [clang-tidy-config]
// ONERRORS-NOT: invalid value
//
// The six function lists: a name that is not one, and an argument index
// that is not a number from 0 to 64.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: PipeCreateFunctions, value: \"make_pipe;make-pipe\"}]}" %s -- > %t.7 2>&1; echo "exit status $?" >> %t.7'
// RUN: FileCheck %s --check-prefixes=CREATE,STATUS --input-file=%t.7
// CREATE: error: invalid value 'make_pipe;make-pipe' for option 'PipeCreateFunctions': entry 'make-pipe' is not a function name (letters, digits, '_', ':' and '~'); expected a list of functions that fill an int[2] like pipe(), separated by ';', each 'name' or 'name:N' with N the index of the array argument [clang-tidy-config]
// CREATE-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-unclosed-write-end" -config="{CheckOptions: [{key: pipe-unclosed-write-end.CloseFunctions, value: \"xclose:two\"}]}" %s -- > %t.8 2>&1; echo "exit status $?" >> %t.8'
// RUN: FileCheck %s --check-prefixes=CLOSE,STATUS --input-file=%t.8
// CLOSE: error: invalid value 'xclose:two' for option 'pipe-unclosed-write-end.CloseFunctions': entry 'xclose:two' has the argument index 'two', not a number from 0 to 64; expected a list of functions that close a descriptor, separated by ';', each 'name' or 'name:N' with N the index of the descriptor argument [clang-tidy-config]
// CLOSE-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReadFunctions, value: \"read_full:65\"}]}" %s -- > %t.9 2>&1; echo "exit status $?" >> %t.9'
// RUN: FileCheck %s --check-prefixes=READ,STATUS --input-file=%t.9
// READ: error: invalid value 'read_full:65' for option 'ReadFunctions': entry 'read_full:65' has the argument index '65', not a number from 0 to 64; expected a list of functions that block reading a descriptor, separated by ';', each 'name' or 'name:N' with N the index of the descriptor argument [clang-tidy-config]
// READ-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: WriteFunctions, value: \"write all\"}]}" %s -- > %t.10 2>&1; echo "exit status $?" >> %t.10'
// RUN: FileCheck %s --check-prefixes=WRITE,STATUS --input-file=%t.10
// WRITE: error: invalid value 'write all' for option 'WriteFunctions': entry 'write all' is not a function name (letters, digits, '_', ':' and '~'); expected a list of functions that write to a descriptor, separated by ';', each 'name' or 'name:N' with N the index of the descriptor argument [clang-tidy-config]
// WRITE-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: BorrowFunctions, value: \"log_fd(int)\"}]}" %s -- > %t.11 2>&1; echo "exit status $?" >> %t.11'
// RUN: FileCheck %s --check-prefixes=BORROW,STATUS --input-file=%t.11
// BORROW: error: invalid value 'log_fd(int)' for option 'BorrowFunctions': entry 'log_fd(int)' is not a function name (letters, digits, '_', ':' and '~'); expected a list of functions that use a descriptor without keeping or closing it, separated by ';', each 'name' [clang-tidy-config]
// BORROW-NOT: invalid value
//
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-self-deadlock" -config="{CheckOptions: [{key: pipe-self-deadlock.NoReturnFunctions, value: \"die;fatal:x\"}]}" %s -- > %t.12 2>&1; echo "exit status $?" >> %t.12'
// RUN: FileCheck %s --check-prefixes=NORETURN,STATUS --input-file=%t.12
// NORETURN: error: invalid value 'die;fatal:x' for option 'pipe-self-deadlock.NoReturnFunctions': entry 'fatal:x' has the argument index 'x', not a number from 0 to 64; expected a list of functions that never return (fatal-error helpers), separated by ';', each 'name' [clang-tidy-config]
// NORETURN-NOT: invalid value
//
// STATUS: Found compiler error(s).
// STATUS-NEXT: {{^}}exit status 1{{$}}
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

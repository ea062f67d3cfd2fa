// --baseline: only the findings that are not in an earlier SARIF log are
// reported (and count for --fail-on-findings). A finding is matched on its
// check, file, function and message, so the old findings stay dropped when
// lines move. --suppressions: a file of FILE-GLOB FUNCTION CHECK lines drops
// findings in code that cannot carry NOLINT.
//
// The baseline: the old reader.c, with its two findings in wait_for_token.
// RUN: rm -rf %t && mkdir -p %t/src && cp %s %t/src/reader.c
// RUN: cd %t && %pipe_tidy --plugin %plugin --sarif base.sarif --config={} -checks='-*,pipe-*' src/reader.c -- > %t/base.txt 2>&1
// RUN: FileCheck %s --check-prefix=BASE < %t/base.txt
// BASE: reader.c:[[@LINE+47]]:15: warning: read from 'fds[0]' blocks forever
// The log names the function of each finding:
// RUN: %python -c "import json; [print(r['ruleId'], r['locations'][0]['logicalLocations'][0]['fullyQualifiedName']) for r in json.load(open('%t/base.sarif'))['runs'][0]['results']]" | FileCheck %s --check-prefix=LOGICAL
// LOGICAL-DAG: pipe-self-deadlock wait_for_token
// LOGICAL-DAG: pipe-unclosed-write-end wait_for_token
//
// Later: three lines added above it, and a new function with the same bug.
// RUN: printf '#include <unistd.h>\n\n\nint new_reader(void) {\n  int fds[2];\n  char c;\n  if (pipe(fds) != 0)\n    return -1;\n  return (int)read(fds[0], &c, 1);\n}\n' > %t/src/new.c
// RUN: cat %t/src/new.c %s > %t/src/reader.c
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --baseline base.sarif --sarif new.sarif --config={} -checks='-*,pipe-*' src/reader.c -- > %t/new.txt 2>&1
// RUN: FileCheck %s --check-prefix=NEW --implicit-check-not=wait_for_token --implicit-check-not='blocks forever' < %t/new.txt
// NEW-DAG: reader.c:9:3: error: 'new_reader' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here{{.*}}[pipe-unclosed-write-end,-warnings-as-errors]
// NEW-DAG: reader.c:9:15: error: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock,-warnings-as-errors]
// NEW: pipe-tidy: 1 file in {{.*}}: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 2 dropped (--baseline, --suppressions)
// NEW: exit status: 1
// RUN: %python -c "import json; [print(r['ruleId'], r['baselineState'], r['locations'][0]['physicalLocation']['region']['startLine']) for r in json.load(open('%t/new.sarif'))['runs'][0]['results']]" | FileCheck %s --check-prefix=NEWLOG
// NEWLOG-DAG: pipe-self-deadlock new 9
// NEWLOG-DAG: pipe-unclosed-write-end new 9
//
// The file against a log of all its findings: nothing new, exit 0.
// RUN: cd %t && %pipe_tidy --plugin %plugin --sarif all.sarif --config={} -checks='-*,pipe-*' src/reader.c -- > /dev/null 2>&1
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --baseline all.sarif --config={} -checks='-*,pipe-*' src/reader.c -- 2>&1 | FileCheck %s --check-prefix=NONE --implicit-check-not='error: '
// NONE: 0 findings, 4 dropped
// NONE: exit status: 0
//
// Suppressions: the new function's self-deadlock by function, the old
// ones by file glob and check glob.
// RUN: printf '# FILE-GLOB FUNCTION CHECK\nsrc/*.c  new_reader  pipe-self-deadlock\nreader.c wait_*      pipe-*\n' > %t/supp.txt
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --fail-on-findings --suppressions supp.txt --config={} -checks='-*,pipe-*' src/reader.c -- > %t/supp.out 2>&1
// RUN: FileCheck %s --check-prefix=SUPP --implicit-check-not='blocks forever' --implicit-check-not=wait_for_token < %t/supp.out
// SUPP: reader.c:9:3: error: 'new_reader' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
// SUPP: 1 finding (pipe-unclosed-write-end: 1), 3 dropped
// SUPP: exit status: 1
//
// A malformed suppressions file is a misconfiguration (3), named by line:
// RUN: printf 'src/*.c new_reader\n' > %t/bad.txt
// RUN: cd %t && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --suppressions bad.txt --config={} -checks='-*,pipe-*' src/reader.c -- 2>&1 | FileCheck %s --check-prefix=BADSUPP
// BADSUPP: pipe-tidy: error: --suppressions bad.txt:1: expected FILE-GLOB FUNCTION CHECK
// BADSUPP: exit status: 3

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

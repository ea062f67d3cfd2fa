// pipe-tidy --diff with git's ranges (docs/usage.md#diff-mode): A...B is what
// B changed since it left A, A..B everything between the two tips;
// --cached the staged changes. The analysis reads the working tree, so
// lines of a range whose new side is not the working tree are carried over
// to it. And with --sarif, --baseline and --suppressions.
//
// RUN: rm -rf %t && mkdir -p %t/proj && cp %s %t/proj/reader.c
// RUN: git -C %t/proj init -q && git -C %t/proj checkout -q -b main && git -C %t/proj add reader.c
// RUN: git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
// A baseline of the base, with old_bug()'s two findings:
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --sarif %t/base.sarif reader.c -- > %t/base.txt 2>&1
// RUN: %python -c "import json; [print('result', r['ruleId'], r['locations'][0]['logicalLocations'][0]['name']) for r in json.load(open('%t/base.sarif'))['runs'][0]['results']]" | FileCheck %s --check-prefix=BASE --implicit-check-not=result
// BASE-DAG: result pipe-self-deadlock old_bug
// BASE-DAG: result pipe-unclosed-write-end old_bug
//
// A branch that deletes the parent's close(fds[1]) (the program then
// hangs), and main, which moves on in old_bug():
// RUN: git -C %t/proj checkout -q -b feature && sed -i '/PARENT[-]CLOSE/d' %t/proj/reader.c
// RUN: git -C %t/proj -c user.email=t@t -c user.name=t commit -q -am 'drop a close'
// RUN: %run_example %t/proj/reader.c collect hang
// RUN: %run_example %s collect exit
// RUN: %run_example %s old hang
// RUN: git -C %t/proj checkout -q main && sed -i 's|^  char c;$|  char c; /* main moved on */|' %t/proj/reader.c
// RUN: git -C %t/proj -c user.email=t@t -c user.name=t commit -q -am 'main moves on' && git -C %t/proj checkout -q feature
//
// main...HEAD: the branch's own change; old_bug() is outside it.
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff main...HEAD -- > %t/three.txt 2>&1
// RUN: FileCheck %s --check-prefix=THREE --implicit-check-not=old_bug --implicit-check-not='blocks forever' < %t/three.txt
// THREE: --diff main...HEAD touches 2 lines in 1 file; analysing 1 file
// THREE: reader.c:[[@LINE+106]]:15: warning: {{.*}}[pipe-self-deadlock]
// THREE: 2 outside the diff
// main..HEAD: also main's change (undone, seen from the branch), in old_bug():
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff main..HEAD -- > %t/two.txt 2>&1
// RUN: FileCheck %s --check-prefix=TWO < %t/two.txt
// TWO: --diff main..HEAD touches 3 lines in 1 file; analysing 1 file
// TWO-DAG: reader.c:[[@LINE+83]]:{{[0-9]+}}: warning: {{.*}}[pipe-self-deadlock]
// TWO-DAG: reader.c:[[@LINE+99]]:15: warning: {{.*}}[pipe-self-deadlock]
// TWO: 0 outside the diff
//
// The working tree is ahead of the range's new side (30 lines added at the
// top, not committed): the range's lines are carried over, so the finding
// is still the one kept, 30 lines further down.
// RUN: cp %t/proj/reader.c %t/reader.committed && %python -c "import sys; sys.stdout.write('// added\n' * 30 + open(sys.argv[1]).read())" %t/reader.committed > %t/proj/reader.c
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff main...HEAD -- > %t/ahead.txt 2>&1
// RUN: FileCheck %s --check-prefix=AHEAD --implicit-check-not=old_bug --implicit-check-not='blocks forever' < %t/ahead.txt
// AHEAD: --diff main...HEAD touches 2 lines in 1 file; analysing 1 file
// AHEAD: reader.c:[[@LINE+119]]:15: warning: {{.*}}[pipe-self-deadlock]
// AHEAD: 2 outside the diff
//
// --cached: what is staged, carried over to the working tree's lines the
// same way (the 30 lines stay unstaged).
// RUN: git -C %t/proj reset -q --hard && git -C %t/proj checkout -q main && sed -i '/PARENT[-]CLOSE/d' %t/proj/reader.c
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff --cached -- > %t/unstaged.txt 2>&1
// RUN: FileCheck %s --check-prefix=UNSTAGED --implicit-check-not=warning: < %t/unstaged.txt
// UNSTAGED: --diff --cached touches 0 lines in 0 files; analysing 0 files
// RUN: git -C %t/proj add reader.c && cp %t/proj/reader.c %t/reader.staged && %python -c "import sys; sys.stdout.write('// added\n' * 30 + open(sys.argv[1]).read())" %t/reader.staged > %t/proj/reader.c
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --fail-on-findings --diff --cached -- > %t/staged.txt 2>&1
// RUN: FileCheck %s --check-prefix=STAGED --implicit-check-not=old_bug --implicit-check-not='blocks forever' < %t/staged.txt
// STAGED: --diff --cached touches 2 lines in 1 file; analysing 1 file
// STAGED: reader.c:[[@LINE+106]]:15: error: {{.*}}[pipe-self-deadlock,-warnings-as-errors]
// STAGED: 2 outside the diff
// STAGED: exit status: 1
// As pre-commit runs it (args: [--diff=--cached], then the staged files,
// which limit the diff):
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --fail-on-findings --diff=--cached --plugin %plugin --config={} -checks='-*,pipe-*' reader.c -- > %t/hook.txt 2>&1
// RUN: FileCheck %s --check-prefix=STAGED < %t/hook.txt
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --fail-on-findings --diff=--cached --plugin %plugin --config={} -checks='-*,pipe-*' other.c -- 2>&1 | FileCheck %s --check-prefix=HOOK-OTHER
// HOOK-OTHER: --diff --cached touches 0 lines in 0 files; analysing 0 files
// HOOK-OTHER: exit status: 0
//
// --sarif: the log holds the findings kept, and says where each is.
// RUN: git -C %t/proj reset -q --hard && git -C %t/proj checkout -q feature
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff main...HEAD --sarif %t/diff.sarif -- > /dev/null 2>&1
// RUN: %python -c "import json; [print('result', r['ruleId'], r['locations'][0]['logicalLocations'][0]['name']) for r in json.load(open('%t/diff.sarif'))['runs'][0]['results']]" | FileCheck %s --check-prefix=SARIF --implicit-check-not=result
// SARIF: result pipe-self-deadlock collect
// (one finding: the return after the loop that hangs is never reached)
//
// --baseline: main..HEAD touches old_bug(), whose findings the baseline
// has; they are dropped as known, the new ones kept.
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --fail-on-findings --diff main..HEAD --baseline %t/base.sarif -- > %t/baseline.txt 2>&1
// RUN: FileCheck %s --check-prefix=BASELINE --implicit-check-not=old_bug --implicit-check-not='blocks forever' < %t/baseline.txt
// BASELINE: reader.c:[[@LINE+54]]:15: error: {{.*}}[pipe-self-deadlock,-warnings-as-errors]
// BASELINE: 1 finding (pipe-self-deadlock: 1), 2 dropped (--baseline, --suppressions), 0 outside the diff
// BASELINE: exit status: 1
//
// --suppressions that name collect(): nothing left, status 0.
// RUN: printf 'reader.c collect pipe-*\n' > %t/supp.txt
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --fail-on-findings --diff main...HEAD --suppressions %t/supp.txt -- > %t/supp.out 2>&1
// RUN: FileCheck %s --check-prefix=SUPP --implicit-check-not=error: < %t/supp.out
// SUPP: 0 findings, 1 dropped (--baseline, --suppressions), 2 outside the diff
// SUPP: exit status: 0
//
// Histories without a merge base have no A...B (a shallow clone can be
// in that state):
// RUN: git -C %t/proj checkout -q --orphan lonely && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m lonely
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff main...lonely -- 2>&1 | FileCheck %s --check-prefix=NOBASE
// NOBASE: pipe-tidy: error: --diff: git diff {{.*}} main...lonely failed: fatal: main...lonely: no merge base; in a shallow clone, fetch the history first
// NOBASE-NEXT: exit status: 3
//
// --diff without a range, or with an option for one, is refused (3):
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --diff 2>&1 | FileCheck %s --check-prefix=NOVALUE
// NOVALUE: pipe-tidy: error: --diff needs a value
// NOVALUE-NEXT: exit status: 3
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config={} -checks='-*,pipe-*' --diff --stat -- 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: pipe-tidy: error: --diff: '--stat' is not a revision range (REV, A..B, A...B, --cached)
// OPTION-NEXT: exit status: 3

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

// Already in the repository: reads a pipe nobody writes to.
int old_bug(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

// Counts what a child writes.
int collect(const char *msg) {
  int fds[2];
  char buf[64];
  int total = 0;
  ssize_t n;
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    (void)write(fds[1], msg, strlen(msg));
    _exit(0);
  }
  close(fds[1]); /* PARENT-CLOSE */
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += (int)n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "collect") == 0)
    return collect("hello") == 5 ? 0 : 1;
  if (argc > 1 && strcmp(argv[1], "old") == 0)
    return old_bug();
  return 2;
}

// pipe-tidy --diff (docs/usage.md#diff-mode): a finding is reported when the
// diff touches a line its path goes through (the warning, its notes, the
// whole function they are in, and helpers that function calls), not only
// when the warning's own line changed. The headline: a commit deletes the
// parent's close(fds[1]) in the middle of collect(); the warnings are at the
// read loop and at the return below it, on lines the commit did not touch,
// and the program, which ended before, now hangs.
//
// RUN: rm -rf %t && mkdir -p %t/proj && cp %s %t/proj/collect.c
// RUN: git -C %t/proj init -q && git -C %t/proj add collect.c
// RUN: git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
// RUN: sed -i '/PARENT[-]CLOSE/d' %t/proj/collect.c
// RUN: git -C %t/proj diff -U0 | FileCheck %s --check-prefix=HUNK
// HUNK: @@ -[[@LINE+104]] +[[@LINE+103]],0 @@
//
// Before the change the program ends; after it, it hangs (and so does
// old_bug(), whose bug the repository already had).
// RUN: %run_example %s collect exit
// RUN: %run_example %t/proj/collect.c collect hang
// RUN: %run_example %s old hang
//
// The working tree against HEAD: the deletion is reported; old_bug()'s two
// findings, which the diff does not touch, are not, and the summary counts
// them. --fail-on-findings fails on what is kept.
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --fail-on-findings --diff HEAD -- > %t/head.txt 2>&1
// RUN: FileCheck %s --check-prefix=WORKTREE --implicit-check-not=old_bug --implicit-check-not='blocks forever' < %t/head.txt
// WORKTREE: pipe-tidy: note: --diff HEAD touches 2 lines in 1 file; analysing 1 file
// WORKTREE-DAG: collect.c:[[@LINE+90]]:15: error: {{.*}}[pipe-self-deadlock,-warnings-as-errors]
// WORKTREE-DAG: pipe-tidy: 1 file in {{.*}}: {{[1-9]}} finding{{s?}} ({{.*}}pipe-self-deadlock: 1{{.*}}), 2 outside the diff
// WORKTREE: exit status: 1
//
// Committed, the same range in git's other spellings:
// RUN: git -C %t/proj -c user.email=t@t -c user.name=t commit -q -am 'drop a close'
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD~1..HEAD -- > %t/range.txt 2>&1
// RUN: FileCheck %s --check-prefix=RANGE --implicit-check-not=old_bug < %t/range.txt
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD~1 -- > %t/rev.txt 2>&1
// RUN: FileCheck %s --check-prefix=RANGE --implicit-check-not=old_bug < %t/rev.txt
// RANGE: collect.c:[[@LINE+80]]:15: warning: {{.*}}[pipe-self-deadlock]
// RANGE: 2 outside the diff
// Nothing changed since HEAD: nothing analysed, status 0 even with
// --fail-on-findings (the configuration is still verified).
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --fail-on-findings --diff HEAD -- > %t/none.txt 2>&1
// RUN: FileCheck %s --check-prefix=NONE --implicit-check-not=warning: --implicit-check-not=error: < %t/none.txt
// NONE: --diff HEAD touches 0 lines in 0 files; analysing 0 files
// NONE: 6 pipe checks active
// NONE: pipe-tidy: 0 files in {{.*}}: 0 findings, 0 outside the diff
// NONE: exit status: 0
//
// A change in an unrelated function of the same file reports nothing:
// RUN: git -C %t/proj reset -q --hard HEAD~1 && sed -i 's/return x [+] 1;/return x + 2;/' %t/proj/collect.c
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --fail-on-findings --diff HEAD -- > %t/unrelated.txt 2>&1
// RUN: FileCheck %s --check-prefix=UNRELATED --implicit-check-not=warning: --implicit-check-not=error: < %t/unrelated.txt
// UNRELATED: --diff HEAD touches 1 line in 1 file; analysing 1 file
// UNRELATED: pipe-tidy: 1 file in {{.*}}: 0 findings, 2 outside the diff
// UNRELATED: exit status: 0
//
// A helper feed_child() calls no longer closes the end it is given: the wait
// hangs (self-deadlock) and the end leaks at the return; no such line changed.
// RUN: git -C %t/proj checkout -q collect.c && sed -i '/HELPER[-]CLOSE/d' %t/proj/collect.c
// RUN: %run_example %t/proj/collect.c feed hang
// RUN: %run_example %s feed exit
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD -- > %t/helper.txt 2>&1
// RUN: FileCheck %s --check-prefix=HELPER --implicit-check-not=old_bug < %t/helper.txt
// HELPER: --diff HEAD touches 2 lines in 1 file; analysing 1 file
// HELPER: collect.c:[[@LINE+76]]:3: warning: child process 'pid' is waited for here{{.*}}[pipe-self-deadlock]
// HELPER: collect.c:[[@LINE+76]]:3: warning: {{.*}}[pipe-unclosed-write-end]
// HELPER: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 2 outside the diff
//
// A revision git does not know, and a directory that is no repository, are
// misconfigurations (3), said before anything runs:
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff no-such-branch -- 2>&1 | FileCheck %s --check-prefix=BADREV
// BADREV: pipe-tidy: error: --diff: 'no-such-branch' is not a commit that git knows here ({{.*}}proj)
// BADREV-NEXT: exit status: 3
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD...no-such-branch -- 2>&1 | FileCheck %s --check-prefix=BADRANGE
// BADRANGE: pipe-tidy: error: --diff: 'no-such-branch' is not a commit that git knows here
// BADRANGE-NEXT: exit status: 3
// RUN: mkdir -p %t/norepo && cd %t/norepo && env GIT_CEILING_DIRECTORIES=%t %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD 2>&1 | FileCheck %s --check-prefix=NOREPO
// NOREPO: pipe-tidy: error: --diff: it compares revisions of a git repository, and {{.*}}norepo is not in one
// NOREPO-NEXT: exit status: 3

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void send_all(int fd, const char *msg) {
  (void)write(fd, msg, strlen(msg));
  close(fd); /* HELPER-CLOSE */
}

// Already in the repository: reads a pipe nobody writes to.
int old_bug(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

int unrelated(int x) {
  return x + 1;
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

// Gives a child something to read to the end.
int feed_child(const char *msg) {
  int fds[2];
  int status = 0;
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    char buf[64];
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  send_all(fds[1], msg);
  waitpid(pid, &status, 0);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (strcmp(argv[1], "collect") == 0)
    return collect("hello") == 5 ? 0 : 1;
  if (strcmp(argv[1], "feed") == 0)
    return feed_child("hello");
  if (strcmp(argv[1], "old") == 0)
    return old_bug();
  return unrelated(argc) == 3 ? 0 : 1;
}

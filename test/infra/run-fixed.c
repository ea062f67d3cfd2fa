// Runner self-test of --run-fixed: a fix-it is proven by compiling the file
// clang-tidy -fix wrote and running the scenario that hung before it.
//
// The real fix-it of pipe-unclosed-write-end closes the write end: the
// reader now sees end-of-file and 'early' exits, where it hung before.
// RUN: %run_example %s early hang
// RUN: %check_pipe_tidy -check-suffix=REAL %s pipe-unclosed-write-end %t.real \
// RUN:   --run-fixed early:exit --run-fixed ok:exit
//
// A wrong fix-it whose text the CHECK-FIXES line asserts all the same: a
// fake clang-tidy (a shell script) prints the same finding and closes the
// read end instead. The text check alone passes; --run-fixed fails, because
// the fixed program still hangs.
// RUN: echo '#!/bin/sh' > %t.wrong.sh
// RUN: echo 'sed -i "s|^    return -1; /\* early \*/|    close(fds[0]); return -1; /* early */|" "$1"' >> %t.wrong.sh
// RUN: echo 'echo "$1:65:5: warning: write end of the pipe left open [pipe-unclosed-write-end]"' >> %t.wrong.sh
// RUN: chmod +x %t.wrong.sh
// RUN: %check_pipe_tidy --clang-tidy=%t.wrong.sh -check-suffix=WRONG %s pipe-unclosed-write-end %t.wrong
// RUN: %expect_exit 1 %check_pipe_tidy --clang-tidy=%t.wrong.sh -check-suffix=WRONG %s pipe-unclosed-write-end %t.wrong \
// RUN:   --run-fixed early:exit > %t.wrong.out 2>&1
// RUN: FileCheck %s --check-prefix=WRONG-RUNNER --input-file=%t.wrong.out
// WRONG-RUNNER: run_example: FAIL: scenario 'early' was expected to exit with status 0 within 20 s, but it was still running when the timeout expired
// WRONG-RUNNER: check_pipe_tidy: FAIL: --run-fixed: the fixed file {{.*}}run-fixed.c.tmp.wrong.c does not behave as expected: early:exit (run_example exit status 1)
//
// A scenario without a hang can be required to hang; that fails.
// RUN: %expect_exit 1 %check_pipe_tidy -check-suffix=REAL %s pipe-unclosed-write-end %t.real \
// RUN:   --run-fixed ok:hang > %t.ok-hang.out 2>&1
// RUN: FileCheck %s --check-prefix=OK-HANG --input-file=%t.ok-hang.out
// OK-HANG: run_example: FAIL: scenario 'ok' was expected to hang
// OK-HANG: check_pipe_tidy: FAIL: --run-fixed: {{.*}}: ok:hang (run_example exit status 1)
//
// Bad use is loud and names the option.
// RUN: %expect_exit 2 %check_pipe_tidy -check-suffix=REAL %s pipe-unclosed-write-end %t.real \
// RUN:   --run-fixed early:finishes > %t.bad-arg.out 2>&1
// RUN: FileCheck %s --check-prefix=BAD-ARG --input-file=%t.bad-arg.out
// BAD-ARG: --run-fixed 'early:finishes': give SCENARIO:EXPECT, where EXPECT is one of exit, hang, abort
// RUN: %expect_exit 1 %check_pipe_tidy %S/notes.c pipe-unclosed-write-end %t.nofix \
// RUN:   --run-fixed early:exit > %t.no-fixes.out 2>&1
// RUN: FileCheck %s --check-prefix=NO-FIXES --input-file=%t.no-fixes.out
// NO-FIXES: check_pipe_tidy: FAIL: --run-fixed needs CHECK-FIXES lines

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts a child that reads a greeting to end-of-file; returns its pid. */
pid_t start_reader(const char *greeting)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    char c;
    close(fds[1]);
    while (read(fds[0], &c, 1) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  if (greeting == NULL) {
    return -1; /* early */
    // CHECK-MESSAGES-REAL: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_reader' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-REAL: :[[@LINE-14]]:7: note: pipe created here
    // CHECK-MESSAGES-REAL: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES-REAL: {{^}}    close(fds[1]); return -1; /* early */{{$}}
    // CHECK-MESSAGES-WRONG: :[[@LINE-5]]:5: warning: write end of the pipe left open [pipe-unclosed-write-end]
    // CHECK-FIXES-WRONG: {{^}}    close(fds[0]); return -1; /* early */{{$}}
  }
  write(fds[1], greeting, strlen(greeting));
  close(fds[1]);
  return pid;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  pid_t pid = start_reader(strcmp(s, "early") == 0 ? NULL : "hello");

  /* The reader is the only child: wait for it. */
  if (pid < 0)
    pid = -1;
  return waitpid(pid, NULL, 0) < 0;
}

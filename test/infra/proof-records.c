// run_example.py records a proof that held in $PIPE_TIDY_PROOF_RESULTS and
// answers the same proof from the record later in the same test run (the
// second LLVM major of scripts/run-tests.sh); a failed proof is never
// recorded, and a different expectation or timeout is proved afresh.
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: env PIPE_TIDY_PROOF_RESULTS=%t.d %run_example %s forgets_write_end hang > %t.1 2>&1
// RUN: FileCheck %s --check-prefix=FIRST --input-file=%t.1
// FIRST: run_example: OK: scenario 'forgets_write_end' of {{.*}} was {{still running when the timeout expired|deadlocked after .*}}
//
// RUN: env PIPE_TIDY_PROOF_RESULTS=%t.d %run_example %s forgets_write_end hang > %t.2 2>&1
// RUN: FileCheck %s --check-prefix=AGAIN --input-file=%t.2
// AGAIN: run_example: OK (proved earlier in this test run): scenario 'forgets_write_end' of {{.*}} was {{still running|deadlocked}}
//
// A different timeout is another proof: it runs.
// RUN: env PIPE_TIDY_PROOF_RESULTS=%t.d %run_example %s forgets_write_end hang --timeout 1 > %t.3 2>&1
// RUN: FileCheck %s --check-prefix=FIRST --input-file=%t.3
//
// A proof that fails is not recorded: asked again, it runs and fails again.
// RUN: env PIPE_TIDY_PROOF_RESULTS=%t.d not %run_example %s forgets_write_end exit --timeout 1 > %t.4 2>&1
// RUN: env PIPE_TIDY_PROOF_RESULTS=%t.d not %run_example %s forgets_write_end exit --timeout 1 > %t.5 2>&1
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.5
// FAILS: run_example: FAIL: scenario 'forgets_write_end' was expected to exit with status 0 within 1 s
//
// Without the variable nothing is recorded or reused.
// RUN: env -u PIPE_TIDY_PROOF_RESULTS %run_example %s forgets_write_end hang > %t.6 2>&1
// RUN: FileCheck %s --check-prefix=FIRST --input-file=%t.6

#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int fds[2];
  char buf[16];
  if (argc < 2 || pipe(fds))
    return 2;
  if (!strcmp(argv[1], "forgets_write_end")) {
    /* The process keeps the write end: read() never sees end-of-file. */
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    return 0;
  }
  return 2;
}

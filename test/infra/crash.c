// Runner self-test: a clang-tidy that crashes fails the test, even when it
// printed every expected finding first. A fake clang-tidy (a shell script)
// stands in for the crash; the same script without the crash passes, which
// shows that the crash alone is what fails the test.
// RUN: echo '#!/bin/sh' > %t.ok.sh
// RUN: echo 'echo "$1:20:3: warning: fake finding [pipe-unclosed-write-end]"' >> %t.ok.sh
// RUN: cp %t.ok.sh %t.crash.sh
// RUN: echo 'echo "Stack dump:"' >> %t.crash.sh
// RUN: echo 'kill -SEGV $$' >> %t.crash.sh
// RUN: chmod +x %t.ok.sh %t.crash.sh
// RUN: %check_pipe_tidy --clang-tidy=%t.ok.sh %s pipe-unclosed-write-end %t
// RUN: not %check_pipe_tidy --clang-tidy=%t.crash.sh %s pipe-unclosed-write-end %t > %t.out 2>&1
// RUN: FileCheck %s --check-prefix=RUNNER --input-file=%t.out
// RUNNER: check_pipe_tidy: FAIL: clang-tidy crashed (exit status -11)

int fake_finding(void) {
  int x = 0;
  (void)x;
  // The fake clang-tidy reports line 20.
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: fake finding [pipe-unclosed-write-end]
}

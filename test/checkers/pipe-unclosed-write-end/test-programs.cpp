// Test programs told by their test-definition macros (issue #18): a
// function defined by the expansion of TEST (GoogleTest), TEST_IMPL
// (libuv), a project's own macro around them, or a macro named in
// TestMacros, is a test, and so is a lambda in it and a helper only test
// code calls (two deep here). This file calls no framework function (the
// runner is its own main()), so the rest of it is ordinary code: a leak in
// production_open() is reported. Leaks in tests are quiet unless
// ReportLeaksInTests is set; the hang in a test is reported. Each leak
// scenario counts what leaked; the hang scenario hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I %S
// RUN: %check_pipe_tidy -check-suffixes=,ALL %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksInTests, value: true}]}" -- -I %S
// With TestMacros naming the project's CHECK_CASE, its function is a test.
// RUN: %check_pipe_tidy -check-suffixes=MACROS %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestMacros, value: 'OTHER_CASE; CHECK_CASE'}]}" -- -I %S
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestMacros, value: 'CHECK CASE'}, {key: pipe-unclosed-write-end.TestProgramFunctions, value: 'suite::'}]}" %s -- -I %S 2>&1 | FileCheck --check-prefix=BADLIST %s
// BADLIST-DAG: error: invalid value 'CHECK CASE' for option 'pipe-unclosed-write-end.TestMacros': entry 'CHECK CASE' is not a macro name
// BADLIST-DAG: error: invalid value 'suite::' for option 'pipe-unclosed-write-end.TestProgramFunctions': entry 'suite::' is not a function name
//
// RUN: %run_example %s Channel.LeaksOnFailure exit -- -I %S
// RUN: %run_example %s Wrapped.HelperLeaks exit -- -I %S
// RUN: %run_example %s lambda_leaks exit -- -I %S
// RUN: %run_example %s drain_hang hang -- -I %S
// RUN: %run_example %s own_macro exit -- -I %S
// RUN: %run_example %s production exit -- -I %S

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/mini-test-macros.h"

static int failed;

static int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

// A project's own macro around TEST, and one the rule does not know.
#define CASE(name) TEST(Wrapped, name)
#define CHECK_CASE(name)                                                       \
  static void check_##name();                                                  \
  static MiniRegister name##_checked(#name, check_##name);                     \
  static void check_##name()

// Leaks both ends when asked to fail.
static int open_or_leak(bool fail) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  if (fail)
    return -1;
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: 'open_or_leak' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ALL: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES-ALL: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[0]);
  close(fds[1]);
  return 0;
}

// The same in a member function of a class the tests use.
struct Channel {
  int open(bool fail) {
    int fds[2];
    if (pipe(fds) < 0)
      return -1;
    if (fail)
      return -1;
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: 'open' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES-ALL: :[[@LINE-5]]:9: note: pipe created here
      // CHECK-MESSAGES-ALL: :[[@LINE-4]]:9: note: taking the true branch
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
};

TEST(Channel, LeaksOnFailure) {
  int before = open_fds();
  Channel c;
  for (int i = 0; i < 8; i++)
    if (c.open(true) == 0)
      failed = 1;
  if (open_fds() - before != 16)
    failed = 1;
}

// Depth 2: only a test calls setup_twice(), which alone calls
// open_or_leak().
static int setup_twice(bool fail) {
  if (open_or_leak(fail) < 0)
    return -1;
  return open_or_leak(fail);
}

CASE(HelperLeaks) {
  int before = open_fds();
  for (int i = 0; i < 8; i++)
    if (setup_twice(true) == 0)
      failed = 1;
  if (open_fds() - before != 16)
    failed = 1;
}

TEST_IMPL(lambda_leaks) {
  auto open = [](bool fail) {
    int fds[2];
    if (pipe(fds) < 0)
      return -1;
    if (fail)
      return -1;
      // CHECK-MESSAGES-ALL: :[[@LINE-1]]:7: warning: this lambda leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES-ALL: :[[@LINE-5]]:9: note: pipe created here
      // CHECK-MESSAGES-ALL: :[[@LINE-4]]:9: note: taking the true branch
    close(fds[0]);
    close(fds[1]);
    return 0;
  };
  int before = open_fds();
  for (int i = 0; i < 8; i++)
    if (open(true) == 0)
      failed = 1;
  if (open_fds() - before != 16)
    failed = 1;
}

// Keeps the write end while it reads to end-of-file: hangs.
TEST_IMPL(drain_hang) {
  int fds[2];
  char buf[64];
  if (pipe(fds) < 0)
    return;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (pid == 0) {
    close(fds[0]);
    write(fds[1], "hi", 2);
    _exit(0);
  }
  while (read(fds[0], buf, sizeof buf) > 0)
    ;
  close(fds[0]);
  waitpid(pid, nullptr, 0);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: write end 'fds[1]' of the pipe is still open when 'run_test_drain_hang' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
// CHECK-MESSAGES-MACROS: :[[@LINE-4]]:1: warning: write end 'fds[1]' of the pipe is still open when 'run_test_drain_hang' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES-MACROS: :[[@LINE-22]]:7: note: pipe created here
// CHECK-MESSAGES-MACROS: :[[@LINE-20]]:7: note: taking the false branch

CHECK_CASE(own_macro) {
  int before = open_fds();
  int fds[2];
  if (pipe(fds) < 0)
    return;
  if (open_fds() - before != 2)
    failed = 1;
  if (!failed)
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'check_own_macro' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[0]);
  close(fds[1]);
}

// Not a test: main() calls it.
static int production_open(bool fail) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  if (fail)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'production_open' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-MESSAGES-MACROS: :[[@LINE-4]]:5: warning: 'production_open' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-MACROS: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES-MACROS: :[[@LINE-7]]:7: note: taking the true branch
  close(fds[0]);
  close(fds[1]);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "production") == 0) {
    int before = open_fds();
    for (int i = 0; i < 8; i++)
      if (production_open(true) == 0)
        failed = 1;
    return failed || open_fds() - before != 16;
  }
  if (!miniRun(s))
    return 2;
  return failed;
}

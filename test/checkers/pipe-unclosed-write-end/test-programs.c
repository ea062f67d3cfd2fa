// Test programs (issue #18): a translation unit that calls a test
// framework's entry or registration function (here GLib's g_test_init(),
// g_test_add_func(), g_test_run(), from a stand-in header) is a test
// program, told by its content and not by its path. A test ends after its
// test, so a descriptor it leaks (no reader can wait on it) is not reported
// unless ReportLeaksInTests is set; a hang in a test (a flaky CI job) is
// reported. The wording at a program start follows the reader: "readers
// of the pipe never see end-of-file" only when something reads the pipe,
// else the child only leaks the end (and that is a leak, quiet here).
// Each leak scenario counts what leaked; each hang scenario hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I %S
// RUN: %check_pipe_tidy -check-suffixes=,ALL %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksInTests, value: true}]}" -- -I %S
// The global key works too.
// RUN: %check_pipe_tidy -check-suffixes=,ALL %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: ReportLeaksInTests, value: 'on'}]}" -- -I %S
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksInTests, value: maybe}]}" %s -- -I %S 2>&1 | FileCheck --check-prefix=BADBOOL %s
// BADBOOL: error: invalid value 'maybe' for option 'pipe-unclosed-write-end.ReportLeaksInTests': expected 'true' or 'false'
//
// RUN: %run_example %s /channel/failure exit -- -I %S
// RUN: %run_example %s /channel/drain hang -- -I %S
// RUN: %run_example %s /spawn/collect hang -- -I %S
// RUN: %run_example %s /spawn/beside exit -- -I %S
// RUN: %run_example %s /spawn/beside-cloexec exit -- -I %S

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/mini-glib-test.h"

static int failed;

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

/* A helper of the tests: on failure it returns with both ends open. */
static int open_channel(int fail)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (fail)
    return -1;
    // CHECK-MESSAGES-ALL: :[[@LINE-1]]:5: warning: 'open_channel' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ALL: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES-ALL: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[0]);
  close(fds[1]);
  return 0;
}

/* Leaks two descriptors per failing call: 16 in all. */
static void test_channel_failure(void)
{
  int before = open_fds(), i;

  for (i = 0; i < 8; i++)
    if (open_channel(1) == 0)
      failed = 1;
  if (open_fds() - before != 16)
    failed = 1;
}

/* Keeps the write end while it reads to end-of-file: hangs. */
static void test_drain_hang(void)
{
  int fds[2];
  char buf[64];
  pid_t pid;

  if (pipe(fds) < 0)
    return;
  pid = fork();
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
  waitpid(pid, NULL, 0);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: write end 'fds[1]' of the pipe is still open when 'test_drain_hang' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch

/* Starts 'cmd' with the pipe open, then reads it to end-of-file: a
 * background process the command leaves keeps the write end. */
static long run_and_collect(const char *cmd)
{
  int fds[2];
  char buf[64];
  long n, total = 0;

  if (pipe(fds) < 0)
    return -1;
  system(cmd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' is inherited by the child that 'system' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

/* Starts 'cmd' beside a pipe that nothing reads: the command inherits the
 * write end, and only leaks it. */
static int run_beside_pipe(const char *cmd, int flags)
{
  int fds[2];
  int status;

  if (pipe2(fds, flags) < 0)
    return -1;
  status = system(cmd);
  // CHECK-MESSAGES-ALL: :[[@LINE-1]]:12: warning: write end 'fds[1]' is inherited by the child that 'system' starts because it lacks O_CLOEXEC; nothing here reads the pipe, so the child only leaks the end; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ALL: :[[@LINE-4]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  return status;
}

static void test_collect(void)
{
  if (run_and_collect("sleep 30 &") != 0)
    failed = 1;
}

/* The shell sees the pipe's ends (3 and 4) open: inherited. */
#define SEES_ENDS "[ -e /proc/self/fd/3 ] && [ -e /proc/self/fd/4 ]"

static void test_beside(void)
{
  if (run_beside_pipe(SEES_ENDS, 0) != 0)
    failed = 1;
}

static void test_beside_cloexec(void)
{
  if (run_beside_pipe(SEES_ENDS, O_CLOEXEC) == 0)
    failed = 1;
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/channel/failure", test_channel_failure);
  g_test_add_func("/channel/drain", test_drain_hang);
  g_test_add_func("/spawn/collect", test_collect);
  g_test_add_func("/spawn/beside", test_beside);
  g_test_add_func("/spawn/beside-cloexec", test_beside_cloexec);
  return g_test_run() || failed;
}

// One warning per defect (issue #18): the pure leaks of one function at
// its exits are one warning, at the first place in source order, naming
// every end that leaks there, with a note at each other place naming what
// leaks there. Fix-its go on the warning, one per place, when every place
// has its complete edit, so that applying them removes the warning;
// otherwise there is none (fixit-return-uses-end.c). A leak
// that a reader can wait on is a hang: a warning of its own. On a fork()
// child's path, "block forever" is said only when the parent reads the
// pipe to end-of-file. Each leak scenario counts the descriptors left open
// after 32 calls; each hang scenario hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
//
// -fix-notes (which implies -fix) applies the warnings' fix-its: every
// place of spawn_three(), register_pair() and two_returns() is closed, and
// their leak scenarios then keep no descriptor open.
// RUN: %check_pipe_tidy -check-suffix=FIXNOTES %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed spawn-no-leak:exit --run-fixed two-returns-no-leak:exit \
// RUN:   --run-fixed passed-closed:exit -- -fix-notes
//
// In a test program (TestFileRegex matches its path) the leaks are not
// reported; the hang is. The value the check page suggests matches this file
// where it is written, in the test/ directory; the default (empty) reports
// the leaks (the runs above); a bad expression is an error.
// RUN: %check_pipe_tidy -check-suffix=TESTS %s pipe-unclosed-write-end %t \
// RUN:   -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestFileRegex, value: 'one-warning'}]}"
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' \
// RUN:   -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestFileRegex, value: '(^|/)(test|tests|testsuite|unittests)/|(^|/)test_[^/]*$|_(unit)?test\.[^/]*$'}]}" %s -- 2>&1 \
// RUN:   | FileCheck --check-prefix=DEFAULT --implicit-check-not="leaks the" %s
// DEFAULT: warning: write end 'fds[1]' (and the read end 'fds[0]') of the pipe are still open when 'child_returns_parent_drains' returns here in the child process of fork(); readers of the pipe never see end-of-file and block forever
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestFileRegex, value: '(unclosed'}]}" %s -- 2>&1 | FileCheck --check-prefix=BADREGEX %s
// BADREGEX: error: invalid value '(unclosed' for option 'pipe-unclosed-write-end.TestFileRegex': not a valid regular expression:
//
// RUN: %run_example %s spawn-leaks exit
// RUN: %run_example %s spawn-ok exit
// RUN: %run_example %s child-leaks exit
// RUN: %run_example %s child-hangs hang
// RUN: %run_example %s passed-leaks exit
// RUN: %run_example %s two-returns-leaks exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail_at = -1; /* which step fails, for the scenarios */
static int step(int n) { return n == fail_at ? -1 : 0; }

/* ---- three pipes, three failure returns, one missing cleanup ------------ */

/* Starts 'cmd' with three pipes for its standard streams (dropbear's
 * spawn_command() shape). Every failure return leaks the pipes made so
 * far: one defect, one warning, a note at each other return. */
int spawn_three(const char *cmd, int *in, int *out, int *err, pid_t *pid)
{
  int infds[2], outfds[2], errfds[2];
  pid_t p;

  if (pipe2(infds, O_CLOEXEC) < 0)
    return -1;
  if (step(1) < 0 || pipe2(outfds, O_CLOEXEC) < 0)
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'spawn_three' leaks the write end 'infds[1]' (and the read end 'infds[0]') of the pipe when it returns here, and more at 3 other places (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: close 'infds[1]' and 'infds[0]' here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE+8]]:5: note: 'spawn_three' also leaks the write end 'outfds[1]' (and the read end 'outfds[0]') of the pipe and the write end 'infds[1]' (and the read end 'infds[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE-6]]:22: note: pipe created here
    // CHECK-NOTES: :[[@LINE+8]]:5: note: 'spawn_three' also leaks the write end 'errfds[1]' (and the read end 'errfds[0]') of the pipe, the write end 'outfds[1]' (and the read end 'outfds[0]') of the pipe and the write end 'infds[1]' (and the read end 'infds[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE+4]]:22: note: pipe created here
    // CHECK-NOTES: :[[@LINE+5]]:7: note: taking the true branch
    // CHECK-NOTES: :[[@LINE+8]]:5: note: 'spawn_three' also leaks the write end 'errfds[1]' (and the read end 'errfds[0]') of the pipe, the write end 'outfds[1]' (and the read end 'outfds[0]') of the pipe and the write end 'infds[1]' (and the read end 'infds[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE+6]]:7: note: taking the true branch
  if (step(2) < 0 || pipe2(errfds, O_CLOEXEC) < 0)
    return -1;
  if (step(3) < 0)
    return -1;
  p = fork();
  if (p < 0)
    return -1;
  if (p == 0) {
    dup2(infds[0], 0);
    dup2(outfds[1], 1);
    dup2(errfds[1], 2);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(infds[0]);
  close(outfds[1]);
  close(errfds[1]);
  *in = infds[1];
  *out = outfds[0];
  *err = errfds[0];
  *pid = p;
  return 0;
  // CHECK-FIXES-FIXNOTES: {{^}}    { close(infds[1]); close(infds[0]); return -1; }{{$}}
  // CHECK-FIXES-FIXNOTES: {{^}}    { close(outfds[1]); close(outfds[0]); close(infds[1]); close(infds[0]); return -1; }{{$}}
  // CHECK-FIXES-FIXNOTES: {{^}}    { close(errfds[1]); close(errfds[0]); close(outfds[1]); close(outfds[0]); close(infds[1]); close(infds[0]); return -1; }{{$}}
  // CHECK-FIXES-FIXNOTES: {{^}}    { close(errfds[1]); close(errfds[0]); close(outfds[1]); close(outfds[0]); close(infds[1]); close(infds[0]); return -1; }{{$}}
}

/* ---- the same with its cleanup: silent ---------------------------------- */

int spawn_three_ok(const char *cmd, int *in, int *out, pid_t *pid)
{
  int infds[2], outfds[2];
  pid_t p;

  if (pipe2(infds, O_CLOEXEC) < 0)
    return -1;
  if (step(1) < 0 || pipe2(outfds, O_CLOEXEC) < 0)
    goto close_in;
  if (step(3) < 0)
    goto close_out;
  p = fork();
  if (p < 0)
    goto close_out;
  if (p == 0) {
    dup2(infds[0], 0);
    dup2(outfds[1], 1);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(infds[0]);
  close(outfds[1]);
  *in = infds[1];
  *out = outfds[0];
  *pid = p;
  return 0;
close_out:
  close(outfds[0]);
  close(outfds[1]);
close_in:
  close(infds[0]);
  close(infds[1]);
  return -1;
}

/* ---- a fork() child that returns into the caller's code ----------------- */

/* The child gets one byte through 'sync' and returns (libuv's test-fork
 * shape) with the pipe open: its parent reads one byte and waits, and no
 * one reads to end-of-file, so nothing blocks: the child leaks it. */
int child_returns(void)
{
  int sync[2], status = 1;
  pid_t pid;
  char c;

  if (pipe(sync) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(sync[0]);
    close(sync[1]);
    return -1;
  }
  if (pid == 0) {
    if (write(sync[1], "1", 1) != 1)
      _exit(1);
    return 1; /* the child: back into the caller's code */
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'child_returns' leaks the write end 'sync[1]' (and the read end 'sync[0]') of the pipe when it returns here in the child process of fork(); close them, or end the child with _exit() [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: taking the true branch
  }
  if (read(sync[0], &c, 1) != 1)
    c = 0;
  waitpid(pid, &status, 0);
  close(sync[0]);
  close(sync[1]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 2;
}

/* The same child, but the parent reads the pipe to end-of-file: the
 * child's copy of the write end keeps it from ever seeing it. A hang. */
long child_returns_parent_drains(void)
{
  int fds[2];
  pid_t pid;
  char buf[64];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    if (write(fds[1], "hello\n", 6) != 6)
      _exit(1);
    return -2; /* the child: back into the caller's code */
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' (and the read end 'fds[0]') of the pipe are still open when 'child_returns_parent_drains' returns here in the child process of fork(); readers of the pipe never see end-of-file and block forever; close them, or end the child with _exit() [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: taking the true branch
    // CHECK-NOTES-TESTS: :[[@LINE-4]]:5: warning: write end 'fds[1]' (and the read end 'fds[0]') of the pipe are still open when 'child_returns_parent_drains' returns here in the child process of fork(); readers of the pipe never see end-of-file and block forever; close them, or end the child with _exit() [pipe-unclosed-write-end]
    // CHECK-NOTES-TESTS: :[[@LINE-16]]:7: note: pipe created here
    // CHECK-NOTES-TESTS: :[[@LINE-9]]:7: note: taking the true branch
  }
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

/* ---- a peer passed to a function we do not see -------------------------- */

static int kept[64];
static int nkept;
static void keep_fd(int fd)
{
  if (nkept < 64)
    kept[nkept++] = fd;
}
/* Called through a pointer: its body is not what the call shows. */
static void (*register_fd)(int) = keep_fd;

/* Hands sv[0] to a registry it cannot see, and returns early without
 * closing sv[1]: nothing shows a reader of sv[0], so this is a leak, not
 * a hang (sudo's exec_pty() shape). */
int register_pair(int fail)
{
  int sv[2];

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return -1;
  register_fd(sv[0]);
  if (fail)
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'register_pair' leaks the end 'sv[1]' of the socket pair when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-6]]:7: note: socket pair created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES-FIXNOTES: {{^}}    { close(sv[1]); return -1; }{{$}}
  close(sv[1]);
  return 0;
}

/* ---- two pipes, two different returns, complete fix-its on the warning -- */

/* Two returns leak different pipes: one warning at the first, a note at
 * the second; each place has its complete closes, and both edits are the
 * warning's fix-its. */
int two_returns(int fail)
{
  int a[2], b[2];

  if (pipe(a) < 0)
    return -1;
  if (fail == 1)
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'two_returns' leaks the write end 'a[1]' (and the read end 'a[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: close 'a[1]' and 'a[0]' here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-NOTES: :[[@LINE+13]]:5: note: 'two_returns' also leaks the write end 'b[1]' (and the read end 'b[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE+4]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE+10]]:7: note: taking the true branch
    // CHECK-FIXES-FIXNOTES: {{^}}    { close(a[1]); close(a[0]); return -1; }{{$}}
    // (the second return's fix-it is checked at the end of the function)
  if (pipe(b) < 0) {
    close(a[0]);
    close(a[1]);
    return -1;
  }
  close(a[0]);
  close(a[1]);
  if (fail == 2)
    return -1;
  close(b[0]);
  close(b[1]);
  return 0;
  // CHECK-FIXES-FIXNOTES: {{^}}    { close(b[1]); close(b[0]); return -1; }{{$}}
}

/* ---- scenarios ---------------------------------------------------------- */

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

#define CALLS 32

/* Called through pointers: the check does not ask what the caller does
 * with their results (caller context), so each child path is judged. */
static int (*volatile child_returns_p)(void) = child_returns;
static long (*volatile drains_p)(void) = child_returns_parent_drains;

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds(), i, in, out, err;
  pid_t pid;

  if (strcmp(s, "spawn-leaks") == 0) {
    /* Failing at steps 1, 2 and 3 leaks 2, 4 and 6 descriptors (3 is the
     * return that a failed fork() takes too). */
    for (i = 0; i < CALLS; i++) {
      fail_at = 1 + i % 3;
      spawn_three("true", &in, &out, &err, &pid);
    }
    return open_fds() - before != (CALLS / 3) * 12 + 2 + 4;
  }
  if (strcmp(s, "spawn-ok") == 0) {
    for (i = 0; i < CALLS; i++) {
      fail_at = 1 + 2 * (i % 2);
      spawn_three_ok("true", &in, &out, &pid);
    }
    return open_fds() != before;
  }
  if (strcmp(s, "child-leaks") == 0) {
    /* In the child, child_returns() comes back with both ends open. */
    /* The parent returns 0 when the child found both ends still open. */
    if ((i = child_returns_p()) == 1)
      _exit(open_fds() == before + 2 ? 0 : 1);
    return i != 0 || open_fds() != before;
  }
  if (strcmp(s, "child-hangs") == 0) {
    if (drains_p() == -2) {
      /* The child goes on in the caller's code, holding fds[1]. */
      pause();
      _exit(0);
    }
    return 0;
  }
  if (strcmp(s, "passed-leaks") == 0) {
    for (i = 0; i < CALLS; i++)
      register_pair(1);
    for (i = 0; i < nkept; i++)
      close(kept[i]); /* what the registry holds */
    return open_fds() - before != CALLS;
  }
  if (strcmp(s, "passed-closed") == 0) {
    /* The fixed file: register_pair() leaks nothing. */
    for (i = 0; i < CALLS; i++)
      register_pair(1);
    for (i = 0; i < nkept; i++)
      close(kept[i]);
    return open_fds() != before;
  }
  if (strcmp(s, "two-returns-leaks") == 0) {
    for (i = 0; i < CALLS; i++)
      two_returns(1 + i % 2);
    return open_fds() - before != 2 * CALLS;
  }
  /* The same calls after the fix-its: nothing left open. */
  if (strcmp(s, "spawn-no-leak") == 0) {
    for (i = 0; i < CALLS; i++) {
      fail_at = 1 + i % 3;
      spawn_three("true", &in, &out, &err, &pid);
    }
    return open_fds() != before;
  }
  if (strcmp(s, "two-returns-no-leak") == 0) {
    for (i = 0; i < CALLS; i++)
      two_returns(1 + i % 2);
    return open_fds() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

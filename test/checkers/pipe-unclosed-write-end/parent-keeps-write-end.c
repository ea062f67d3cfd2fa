// One defect, one warning (issue #18): a parent that keeps its copy of the
// write end after fork() and reads the pipe until end-of-file waits
// forever. pipe-self-deadlock reports the read, where the program hangs;
// the returns after the loop, which are never reached (or reached only
// after the loop stops early), are not reported again by
// pipe-unclosed-write-end. A return on another path, before any read,
// leaks the ends on its own and is still reported. With pipe-self-deadlock
// disabled, pipe-unclosed-write-end reports the returns as before.
//
// The shapes: the README's exec child; the pipe made by an out-parameter
// helper, the child started by a helper, the read two helpers down; the
// ends in a struct a helper returns, and a loop that may stop early. The
// near-miss closes the parent's copy first.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffix=ALONE %s pipe-unclosed-write-end %t
// RUN: %run_example %s exec-child hang
// RUN: %run_example %s helpers hang
// RUN: %run_example %s struct-early-break hang
// RUN: %run_example %s error-before-read hang
// RUN: %run_example %s closes-first exit

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct ends {
  int rd, wr;
};

static int open_pipe(int p[2]) { return pipe(p); }

static struct ends make_ends(void) {
  struct ends e = {-1, -1};
  int p[2];
  if (pipe(p) == 0) {
    e.rd = p[0];
    e.wr = p[1];
  }
  return e;
}

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static long drain_twice_removed(int fd) { return drain(fd); }

static pid_t start_writer(int wr, const char *msg) {
  pid_t pid = fork();
  if (pid == 0) {
    (void)write(wr, msg, strlen(msg));
    _exit(0);
  }
  return pid;
}

/* The README's shape: the child execs with the write end on its stdout. */
long exec_child(void) {
  int fds[2];
  char buf[256];
  long total = 0;
  ssize_t n;
  if (pipe(fds) < 0)
    return -1;
  if (fork() == 0) {
    dup2(fds[1], STDOUT_FILENO);
    execlp("echo", "echo", "hello", (char *)NULL);
    _exit(127);
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
    total += n;
  close(fds[0]);
  return total;
  // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'exec_child' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ALONE: :[[@LINE-14]]:7: note: pipe created here
  // CHECK-MESSAGES-ALONE: :[[@LINE-8]]:10: note: the loop condition is false: leaving the loop
}

/* Pipe made by an out-parameter helper, child started by a helper, read by
   a helper two calls down. */
long helpers(void) {
  int p[2];
  if (open_pipe(p) < 0)
    return -1;
  pid_t pid = start_writer(p[1], "hello\n");
  long total = drain_twice_removed(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(p[0]);
  waitpid(pid, NULL, 0);
  return total;
  // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:3: warning: write end 'p[1]' of the pipe is still open when 'helpers' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ALONE: :[[@LINE-10]]:7: note: pipe created here
}

/* Ends in a struct returned by a helper; the loop may stop early. */
long struct_early_break(long limit) {
  struct ends e = make_ends();
  if (e.rd < 0)
    return -1;
  pid_t pid = start_writer(e.wr, "hello\n");
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(e.rd, buf, sizeof buf)) > 0) {
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'e.rd' until end-of-file never ends: this process still holds the write end 'e.wr'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'e.wr' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-9]]:19: note: pipe created here
    total += n;
    if (total > limit)
      break;
  }
  close(e.rd);
  waitpid(pid, NULL, 0);
  return total;
  // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:3: warning: write end 'e.wr' of the pipe is still open when 'struct_early_break' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ALONE: :[[@LINE-18]]:19: note: pipe created here
  // CHECK-MESSAGES-ALONE: :[[@LINE-12]]:10: note: the loop condition is false: leaving the loop
}

/* Another path returns before any read: that leak is its own finding. */
long error_before_read(int verbose) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = start_writer(fds[1], "hello\n");
  if (verbose < 0)
    return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'error_before_read' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  // CHECK-MESSAGES-ALONE: :[[@LINE-4]]:5: warning: write end 'fds[1]' of the pipe is still open when 'error_before_read' returns here; readers of the pipe never see end-of-file and block forever; no path closes it; close it on every path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ALONE: :[[@LINE-9]]:7: note: pipe created here
  long total = drain(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
  // CHECK-MESSAGES-ALONE: :[[@LINE-1]]:3: note: 'error_before_read' also returns here with it open
}

/* Near-miss: the parent closes its copy first. */
long closes_first(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = start_writer(fds[1], "hello\n");
  close(fds[1]);
  long total = drain(fds[0]);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

/* Each scenario runs twice: the caller goes on after the call, so what it
   leaks matters. */
int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  long total = 0;
  for (int i = 0; i < 2; ++i) {
    long n = -2;
    if (!strcmp(s, "exec-child"))
      n = exec_child();
    else if (!strcmp(s, "helpers"))
      n = helpers();
    else if (!strcmp(s, "struct-early-break"))
      n = struct_early_break(100);
    else if (!strcmp(s, "error-before-read"))
      n = error_before_read(0);
    else if (!strcmp(s, "closes-first"))
      n = closes_first();
    total += n;
  }
  return total == 12 ? 0 : 1;
}

// Caller context whatever the result: a leak on a failure return is not
// reported when every caller, after the call, ends the process on every
// path, whether or not it looks at the result (sudo's monitor child:
// `exec_monitor(...); send(sv[1], ...); _exit(1);`), and nothing on the
// way loops, waits, reads, forks or makes a descriptor. Also for void
// functions, at helper depth 1-3 (a void caller that returns to one that
// exits). Reported when a caller ignores the result and then waits for the
// child that reads the pipe, or loops until that child is gone, or when a
// helper on the way loops. ReportLeaksBeforeExit brings the silenced ones
// back (suffix ON).
//
// Each scenario runs in a child. A silenced one takes the failure path and
// the child ends there (status 1): the parent then exits 0. A reported one
// waits for the logger child, which reads the pipe whose write end the
// failed call left open: it hangs.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" --
// RUN: %run_example %s ignored exit
// RUN: %run_example %s void exit
// RUN: %run_example %s depth3 exit
// RUN: %run_example %s waits hang
// RUN: %run_example %s loops hang

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAME 16

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

/* Starts a logger child that reads the pipe to end-of-file; the caller
 * gets the write end in *wfd. On a name too long, returns -1 and leaves
 * the write end open. */
static int start_logger(pid_t *pid, int *wfd, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  if (pipe(fds) < 0)
    return -1;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_logger' returns here
    // CHECK-MESSAGES-ON: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  *wfd = fds[1];
  return 0;
}

/* The same, void: the failure is not even returned. */
static void start_logger_v(pid_t *pid, int *wfd, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  *wfd = -1;
  if (pipe(fds) < 0)
    return;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > MAX_NAME)
    return;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_logger_v' returns here
    // CHECK-MESSAGES-ON: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  *wfd = fds[1];
}

/* Reported: one caller waits for the logger after the failed call. */
static int start_logger_w(pid_t *pid, int *wfd, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  if (pipe(fds) < 0)
    return -1;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_logger_w' returns here
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  *wfd = fds[1];
  return 0;
}

/* Reported: the caller loops until the logger is gone. */
static void start_logger_l(pid_t *pid, int *wfd, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  *wfd = -1;
  if (pipe(fds) < 0)
    return;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > MAX_NAME)
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_logger_l' returns here
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  *wfd = fds[1];
}

/* A message: a helper of this file with no loop and only quiet calls. */
static void report_status(int fd, int status)
{
  dprintf(fd, "status %d\n", status);
}

/* Depth 1: ignores the result, reports, and exits. */
static void run_ignored(const char *name)
{
  pid_t pid;
  int wfd;

  start_logger(&pid, &wfd, name);
  report_status(2, errno);
  _exit(1);
}

/* Depth 1, void callee. */
static void run_void(const char *name)
{
  pid_t pid;
  int wfd;

  start_logger_v(&pid, &wfd, name);
  if (wfd < 0)
    fprintf(stderr, "no logger\n");
  exit(1);
}

/* Depth 3: two void helpers return to a caller that exits. */
static void setup_inner(pid_t *pid, int *wfd)
{
  start_logger_v(pid, wfd, long_name);
}

static void setup_outer(pid_t *pid, int *wfd)
{
  setup_inner(pid, wfd);
  report_status(2, 0);
}

static void run_depth3(void)
{
  pid_t pid;
  int wfd;

  setup_outer(&pid, &wfd);
  _exit(1);
}

/* Ignores the result and waits for the logger: it never finishes. */
static void run_waits(const char *name)
{
  pid_t pid;
  int wfd;

  start_logger_w(&pid, &wfd, name);
  waitpid(pid, NULL, 0);
  _exit(1);
}

/* Ignores the result and polls until the logger is gone: a loop. */
static void run_loops(const char *name)
{
  pid_t pid;
  int wfd;

  start_logger_l(&pid, &wfd, name);
  while (kill(pid, 0) == 0 && waitpid(pid, NULL, WNOHANG) == 0)
    usleep(10000);
  _exit(1);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();

  if (pid < 0)
    return 2;
  if (pid == 0) {
    if (strcmp(s, "ignored") == 0)
      run_ignored(long_name);
    else if (strcmp(s, "void") == 0)
      run_void(long_name);
    else if (strcmp(s, "depth3") == 0)
      run_depth3();
    else if (strcmp(s, "waits") == 0)
      run_waits(long_name);
    else if (strcmp(s, "loops") == 0)
      run_loops(long_name);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

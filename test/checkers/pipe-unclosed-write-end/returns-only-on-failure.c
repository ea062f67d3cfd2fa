// A function that returns only to report a failure: every path that gets
// past its failures ends the process (the parent execs the viewer and
// _exit()s if that fails, the child writes and exit()s), and each of its
// `return`s gives the same constant, or none. Such a function is called,
// as execvp() is, for not coming back: its callers end the process when
// it does, and a descriptor its failure path leaves open is not worth a
// patch. Its callers here are in another file (the unit cannot see them):
// show_in_viewer() (void, ninja's RunBrowsePython() shape) and
// run_monitored() (sudo's exec_monitor() shape: `goto bad`, and a macro
// that returns -1 through a local variable) are silent.
//
// Reported as before: start_viewer() returns the child's pid when it
// succeeds (an ordinary function), start_viewer_v()'s parent path falls
// off the end of its body (it comes back), start_viewer_r()'s ends in a
// `return;` that no failure test guards (sudo's exec_nopty() shape),
// start_viewer_p()'s parent prints to standard output and returns (that
// is no error message), start_viewer_f()'s parent returns under
// `(pid = fork()) != 0` (no failure test), and exec_or_report(), which
// returns only on failure, is called here by a caller that retries.
// ReportLeaksBeforeExit brings the silenced ones back (suffix ON).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs
// RUN: %run_example %s show exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s monitor exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s start exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s start_v exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s start_r exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s start_p exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s start_f exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c
// RUN: %run_example %s retries exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.c

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "count-fds.h"
#include "returns-only-on-failure.h"

#define MAX_NAME 16

#define RETURN_INT(v)                                                          \
  do {                                                                         \
    int ret_ = (v);                                                            \
    fprintf(stderr, "leaving with %d\n", ret_);                                \
    return ret_;                                                               \
  } while (0)

static const char long_name[] = "a-viewer-name-longer-than-sixteen-bytes";

void show_in_viewer(const char *viewer, const char *text)
{
  int fds[2];

  if (pipe(fds) < 0) {
    perror("pipe");
    return;
  }
  if (strlen(viewer) > MAX_NAME) {
    fprintf(stderr, "%s: name too long\n", viewer);
    return;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: 'show_in_viewer' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-8]]:7: note: pipe created here
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: note: 'show_in_viewer' also returns here with them open
  }
  if (pid > 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(viewer, viewer, (char *)NULL);
    perror("exec");
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text, strlen(text)) < 0)
    perror("write");
  close(fds[1]);
  exit(0);
}

int run_monitored(const char *prog, const char *arg)
{
  int errpipe[2], status;
  pid_t pid;

  if (pipe2(errpipe, O_CLOEXEC) != 0)
    goto bad;
  if (strlen(prog) > MAX_NAME) {
    fprintf(stderr, "%s: name too long\n", prog);
    goto bad;
  }
  pid = fork();
  if (pid == -1)
    goto bad;
  if (pid == 0) {
    close(errpipe[0]);
    execlp(prog, prog, arg, (char *)NULL);
    if (write(errpipe[1], "x", 1) < 0)
      _exit(126);
    _exit(127);
  }
  close(errpipe[1]);
  if (waitpid(pid, &status, 0) < 0)
    _exit(2);
  close(errpipe[0]);
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);

bad:
  RETURN_INT(-1);
  // CHECK-MESSAGES-ON: :[[@LINE-1]]:3: warning: 'run_monitored' leaks the write end 'errpipe[1]' (and the read end 'errpipe[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ON: :[[@LINE-25]]:7: note: pipe created here
}

pid_t start_viewer(const char *viewer, const char *text)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (strlen(viewer) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'start_viewer' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: close 'fds[1]' and 'fds[0]' here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: 'start_viewer' also leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
    // CHECK-MESSAGES: :[[@LINE+2]]:7: note: taking the true branch
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(viewer, viewer, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text, strlen(text)) < 0)
    perror("write");
  close(fds[1]);
  return pid;
}

void start_viewer_v(const char *viewer, const char *text, pid_t *pid)
{
  int fds[2];

  if (pipe(fds) < 0)
    return;
  if (strlen(viewer) > MAX_NAME)
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'start_viewer_v' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: close 'fds[1]' and 'fds[0]' here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: 'start_viewer_v' also leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
  *pid = fork();
  if (*pid < 0)
    return;
  if (*pid == 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(viewer, viewer, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text, strlen(text)) < 0)
    perror("write");
  close(fds[1]);
}

/* Like sudo's exec_nopty(): the child exits, and the parent's path ends
 * in an explicit `return;` after its work. The returns are all alike, but
 * the last one is the function coming back from success. */
void start_viewer_r(const char *viewer, const char *text, pid_t *pid)
{
  int fds[2];

  if (pipe(fds) < 0) {
    perror("pipe");
    return;
  }
  if (strlen(viewer) > MAX_NAME) {
    fprintf(stderr, "%s: name too long\n", viewer);
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'start_viewer_r' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: close 'fds[1]' and 'fds[0]' here
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    // CHECK-MESSAGES: :[[@LINE+6]]:5: note: 'start_viewer_r' also leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the false branch
  }
  *pid = fork();
  if (*pid < 0) {
    perror("fork");
    return;
  }
  if (*pid == 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(viewer, viewer, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text, strlen(text)) < 0)
    perror("write");
  close(fds[1]);
  return;
}

/* The parent says so on standard output and returns: its return is the
 * function coming back from success, whatever it prints. */
void start_viewer_p(const char *viewer, const char *text)
{
  int fds[2];

  if (pipe(fds) < 0) {
    perror("pipe");
    return;
  }
  if (strlen(viewer) > MAX_NAME) {
    fprintf(stderr, "%s: name too long\n", viewer);
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'start_viewer_p' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: close 'fds[1]' and 'fds[0]' here
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    // CHECK-MESSAGES: :[[@LINE+6]]:5: note: 'start_viewer_p' also leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
    // CHECK-MESSAGES: :[[@LINE+3]]:7: note: taking the true branch
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return;
  }
  if (pid > 0) {
    close(fds[0]);
    if (write(fds[1], text, strlen(text)) < 0)
      perror("write");
    close(fds[1]);
    printf("started %s as %d\n", viewer, (int)pid);
    return;
  }
  close(fds[1]);
  if (dup2(fds[0], 0) < 0)
    _exit(126);
  execlp(viewer, viewer, (char *)NULL);
  _exit(127);
}

/* The parent is the side where fork() returned nonzero: `!= 0` of fork()
 * is no failure test, and its return is the function coming back. */
void start_viewer_f(const char *viewer, const char *text)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0) {
    perror("pipe");
    return;
  }
  if (strlen(viewer) > MAX_NAME) {
    fprintf(stderr, "%s: name too long\n", viewer);
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'start_viewer_f' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  if ((pid = fork()) != 0) {
    close(fds[0]);
    if (pid > 0 && write(fds[1], text, strlen(text)) < 0)
      perror("write");
    close(fds[1]);
    return;
  }
  close(fds[1]);
  if (dup2(fds[0], 0) < 0)
    _exit(126);
  execlp(viewer, viewer, (char *)NULL);
  _exit(127);
}

void exec_or_report(const char *prog)
{
  int fds[2];

  if (pipe(fds) < 0)
    return;
  if (strlen(prog) > MAX_NAME)
    return;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'exec_or_report' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if (fork() == 0) {
    close(fds[1]);
    execlp(prog, prog, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  close(fds[1]);
  _exit(0);
}

/* Tries three times, and goes on: each failed try leaks two descriptors. */
static int retry_exec(const char *prog)
{
  int before = open_fds();
  for (int i = 0; i < 3; i++)
    exec_or_report(prog);
  return open_fds() - before;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;

  if (strcmp(s, "start") == 0)
    return rof_start(long_name) == 6 ? 0 : 3;
  if (strcmp(s, "start_v") == 0)
    return rof_start_v(long_name) == 6 ? 0 : 3;
  if (strcmp(s, "start_r") == 0)
    return rof_start_r(long_name) == 6 ? 0 : 3;
  if (strcmp(s, "start_p") == 0)
    return rof_start_p(long_name) == 6 ? 0 : 3;
  if (strcmp(s, "start_f") == 0)
    return rof_start_f(long_name) == 6 ? 0 : 3;
  if (strcmp(s, "retries") == 0)
    return retry_exec(long_name) == 6 ? 0 : 3;
  /* The silent ones: the caller ends the process after the failure. */
  pid_t pid = fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    if (strcmp(s, "show") == 0)
      rof_show(long_name);
    else if (strcmp(s, "monitor") == 0)
      rof_monitor(long_name);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

// Caller context with the result stored in a global: `g = f(); if (g < 0)
// exit(1);`. A variable of static storage holds the result in the
// condition of the `if` right after the assignment (which calls nothing);
// any call before the test could change it, so then the test says nothing
// about the result. Each start_*() leaks the write end of its pipe when
// the job name is too long, and fails.
//  - start_checked()'s caller stores the pid in a global and exits when it
//    is -1: silent;
//  - start_counted()'s caller logs the attempt between the store and the
//    test, and the logger resets the global (a caller that survives the
//    failure: it goes on to read the pipe): reported;
//  - start_nested()'s caller stores the pid in a static local and returns
//    the failure to a caller that exits: silent.
// With ReportLeaksBeforeExit (suffix ON) the silent one is reported too.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" --
//
// A silenced leak's scenario ends the child on the failure (status 1),
// and the parent then exits 0; the reported one reads the pipe whose
// write end the failed call left open: it hangs.
// RUN: %run_example %s checked exit
// RUN: %run_example %s nested exit
// RUN: %run_example %s counted hang

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_NAME 16

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

static pid_t job_pid;
static int job_fd = -1;
static int attempts;

static pid_t start_checked(int *rfd, const char *name)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_checked' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  if ((pid = fork()) == 0) {
    close(fds[0]);
    dprintf(fds[1], "job %s\n", name);
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

static pid_t start_counted(int *rfd, const char *name)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_counted' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if ((pid = fork()) == 0) {
    close(fds[0]);
    dprintf(fds[1], "job %s\n", name);
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

static pid_t start_nested(int *rfd, const char *name)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_nested' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  if ((pid = fork()) == 0) {
    close(fds[0]);
    dprintf(fds[1], "job %s\n", name);
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static void run_checked(const char *name)
{
  job_pid = start_checked(&job_fd, name);
  if (job_pid == -1) {
    fprintf(stderr, "cannot start %s\n", name);
    exit(1);
  }
  printf("%ld\n", drain(job_fd));
}

static void log_attempt(void)
{
  attempts++;
  job_pid = 0; /* the previous job is forgotten */
}

static void run_counted(const char *name)
{
  job_pid = start_counted(&job_fd, name);
  log_attempt();
  if (job_pid == -1)
    exit(1);
  printf("%ld\n", drain(job_fd));
}

static int run_nested(const char *name)
{
  static pid_t last;

  last = start_nested(&job_fd, name);
  if (last < 0)
    return -1;
  printf("%ld\n", drain(job_fd));
  return 0;
}

static void scenario(const char *s)
{
  if (strcmp(s, "checked") == 0) {
    run_checked(long_name);
  } else if (strcmp(s, "counted") == 0) {
    run_counted(long_name);
  } else if (strcmp(s, "nested") == 0) {
    if (run_nested(long_name) < 0)
      exit(1);
  } else {
    fprintf(stderr, "unknown scenario '%s'\n", s);
  }
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();

  if (pid < 0)
    return 2;
  if (pid == 0) {
    scenario(s);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

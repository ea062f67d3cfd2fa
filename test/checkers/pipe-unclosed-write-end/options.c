// The model options: a program's own close wrapper (CloseFunctions), pipe
// wrapper (PipeCreateFunctions) and fatal-error helper (NoReturnFunctions),
// as check-local keys, as global keys, and both at once (the check-local key
// wins, the lists are not merged). Then a malformed entry and an unknown key.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.NoReturnFunctions, value: 'die'}, {key: pipe-unclosed-write-end.CloseFunctions, value: 'safe_close'}, {key: pipe-unclosed-write-end.PipeCreateFunctions, value: 'make_pipe'}]}"
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: NoReturnFunctions, value: 'die'}, {key: CloseFunctions, value: 'safe_close'}, {key: PipeCreateFunctions, value: 'make_pipe'}]}"
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: NoReturnFunctions, value: 'fatal'}, {key: CloseFunctions, value: 'xclose'}, {key: PipeCreateFunctions, value: 'open_pipe'}, {key: pipe-unclosed-write-end.NoReturnFunctions, value: 'die'}, {key: pipe-unclosed-write-end.CloseFunctions, value: 'safe_close'}, {key: pipe-unclosed-write-end.PipeCreateFunctions, value: 'make_pipe'}]}"
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: CloseFunctions, value: 'bad name!'}]}" %s -- 2>&1 | FileCheck --check-prefix=BADOPT %s
// BADOPT: error: invalid value 'bad name!' for option 'CloseFunctions': entry 'bad name!' is not a function name
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: pipe-unclosed-write-end.NoSuchOption, value: 'x'}]}" %s -- 2>&1 | FileCheck --check-prefix=UNKNOWN %s
// UNKNOWN: warning: unknown option 'pipe-unclosed-write-end.NoSuchOption'
//
// RUN: %run_example %s job hang
// RUN: %run_example %s job-ok exit
// RUN: %run_example %s log hang
// RUN: %run_example %s log-ok exit
// RUN: %run_example %s job-checked exit
// RUN: %run_example %s job-checked-early exit
// RUN: %run_example %s job-or-die exit
// RUN: %run_example %s greet-or-die exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAME 16

/* Closes fd if it is open, keeping errno. */
void safe_close(int fd)
{
  int saved = errno;

  if (fd >= 0)
    close(fd);
  errno = saved;
}

/* Makes a pipe whose read end does not block; returns 0 or -1 like pipe(). */
int make_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
    safe_close(fds[0]);
    safe_close(fds[1]);
    return -1;
  }
  return 0;
}

/* Reports a fatal error and ends the program. Not declared noreturn. */
void die(const char *msg)
{
  fprintf(stderr, "fatal: %s\n", msg);
  exit(EXIT_FAILURE);
}

/* Reads fd until end-of-file (waiting while a non-blocking fd is empty);
 * returns the number of bytes read. */
static ssize_t drain(int fd)
{
  char buf[512];
  ssize_t n, total = 0;

  fcntl(fd, F_SETFL, 0);
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Starts a job that reports through a pipe; *rfd gets the read end. */
int start_job(int *rfd, const char *name)
{
  int fds[2];

  if (make_pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  safe_close(fds[1]);
  return 0;
}

#define MAX_LINE 64

/* Writes the log lines to fd, then closes fd, which the caller hands over.
 * The early return is reported only because safe_close() is known to close
 * the descriptor on the final path. */
int write_log(int fd, const char *const lines[], size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    if (strlen(lines[i]) > MAX_LINE)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fd' is closed on another path but still open when 'write_log' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'fd' is closed here on another path
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    dprintf(fd, "%s\n", lines[i]);
  }
  safe_close(fd);
  return 0;
}

/* Like start_job, but closes both ends when the name is too long. */
int start_job_checked(int *rfd, const char *name)
{
  int fds[2];

  if (make_pipe(fds) < 0)
    return -1;
  if (strlen(name) > MAX_NAME) {
    safe_close(fds[0]);
    safe_close(fds[1]);
    return -1;
  }
  dprintf(fds[1], "job %s started\n", name);
  safe_close(fds[1]);
  *rfd = fds[0];
  return 0;
}

/* Like start_job, but every failure is fatal. */
int start_job_or_die(int *rfd, const char *name)
{
  int fds[2];

  if (make_pipe(fds) < 0)
    die("make_pipe");
  *rfd = fds[0];
  if (strlen(name) <= MAX_NAME) {
    dprintf(fds[1], "job %s started\n", name);
    safe_close(fds[1]);
    return 0;
  }
  die("job name too long");
  return -1; /* not reached */
}

/* Sends the greeting through a new pipe; *rfd gets the read end. Dies on
 * failure. */
void greet_or_die(int *rfd, const char *greeting)
{
  int fds[2];

  if (pipe(fds) < 0)
    die("pipe");
  *rfd = fds[0];
  if (dprintf(fds[1], "%s\n", greeting) >= 0) {
    close(fds[1]);
    return;
  }
  die("dprintf");
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  const char *long_name = "a-job-name-longer-than-sixteen-bytes";
  int r = -1;

  if (strcmp(s, "job") == 0) {
    start_job(&r, long_name);
    drain(r);
    return 0;
  }
  if (strcmp(s, "job-ok") == 0) {
    if (start_job(&r, "backup") < 0)
      return 1;
    drain(r);
    return 0;
  }
  if (strcmp(s, "log") == 0 || strcmp(s, "log-ok") == 0) {
    const char *const lines[] = {
        "started",
        strcmp(s, "log") == 0
            ? "a line that is longer than sixty-four bytes, which write_log refuses"
            : "done"};
    int fds[2];
    if (pipe(fds) < 0)
      return 1;
    write_log(fds[1], lines, 2);
    drain(fds[0]);
    return 0;
  }
  if (strcmp(s, "job-checked") == 0) {
    if (start_job_checked(&r, "backup") < 0)
      return 1;
    drain(r);
    return 0;
  }
  if (strcmp(s, "job-checked-early") == 0)
    return start_job_checked(&r, long_name) == -1 ? 0 : 1;
  if (strcmp(s, "job-or-die") == 0) {
    start_job_or_die(&r, "backup");
    drain(r);
    return 0;
  }
  if (strcmp(s, "greet-or-die") == 0) {
    greet_or_die(&r, "hello");
    drain(r);
    return 0;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Caller context: a write end left open on a failure return is not
// reported when every call of the function in the translation unit ends
// the process on that failure (exit, _exit, err, a die() helper that exits,
// assert, exec followed by _exit, a return from main, or a caller that
// returns the failure to callers that all do), since the process closes it
// right away. It is reported when one caller carries on, a caller ignores
// the result or tests it on the other side, a caller reads the pipe before
// it ends the process (or reads the descriptor it got), the function's address is
// taken, it has external linkage and no caller here or is declared in a
// header (another file may call it: Inputs/caller-context-other.c does),
// or the leak is on the success path. ReportLeaksBeforeExit brings the
// silenced ones back (suffix ON). The same holds for a descriptor parameter
// the function owns (closed on its final path) left open on an early return.
//
// Each scenario runs in a child process. A silenced one takes the failure
// path, and the child must end there (status 1, or SIGABRT for assert):
// the parent then exits 0. A reported one carries on and reads the pipe,
// whose write end it still holds, to the end: it hangs.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: ReportLeaksBeforeExit, value: 'on'}]}" -- -I%S/Inputs
//
// RUN: %run_example %s exit exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s die exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s errx exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s kept exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s assert exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s exec exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s success exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s depth2 exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s depth3 exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s bool exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s fd exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s file-only exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s cleanup exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s owned exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s forked exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s main exit -- -I%S/Inputs %S/Inputs/caller-context-other.c
//
// RUN: %run_example %s some-carries-on hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s ignored hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s other-side hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s pointer hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s success-leak hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s api hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s drained-first hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s main-fd hang -- -I%S/Inputs %S/Inputs/caller-context-other.c
// RUN: %run_example %s exported hang -- -I%S/Inputs %S/Inputs/caller-context-other.c

#include <assert.h>
#include <err.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-context.h"

#define MAX_NAME 16

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

/* Reads fd to end-of-file; returns the number of bytes. */
static long drain(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Reports a fatal error and ends the program. Not declared noreturn: its
 * body says so. */
static void die(const char *msg)
{
  fprintf(stderr, "fatal: %s\n", msg);
  exit(1);
}

/* ---- every caller ends the process on failure: silent ------------------ */

/* Starts a job that reports through a pipe; *rfd gets the read end. On a
 * name too long it returns -1 with the write end still open. */
static int start_job(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_exit(const char *name)
{
  int r;

  if (start_job(&r, name) < 0) {
    perror("start_job");
    exit(1);
  }
  printf("%ld\n", drain(r));
}

static void job_die(const char *name)
{
  int r;

  if (start_job(&r, name) != 0)
    die("cannot start the job");
  drain(r);
}

static void job_errx(const char *name)
{
  int r;

  if (start_job(&r, name) == -1)
    errx(1, "cannot start %s", name);
  drain(r);
}

static void job_kept(const char *name)
{
  int r;
  int rc = start_job(&r, name);

  if (rc < 0) {
    fprintf(stderr, "start_job: %d\n", rc);
    _exit(1);
  }
  drain(r);
}

static void job_assert(const char *name)
{
  int r;

  assert(start_job(&r, name) == 0);
  drain(r);
}

static void job_exec(const char *name)
{
  int r;

  if (start_job(&r, name) < 0) {
    execlp("false", "false", (char *)NULL);
    _exit(1);
  }
  drain(r);
}

/* Tests for success; on failure it falls through to exit(). */
static void job_then_exit(const char *name)
{
  int r = -1;

  if (start_job(&r, name) == 0)
    drain(r);
  exit(1);
}

/* Depth 2 and 3: the failure goes up through callers that return it. */
static int open_log(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'open_log' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "log %s opened\n", name);
  close(fds[1]);
  return 0;
}

static int setup(int *rfd, const char *name)
{
  if (open_log(rfd, name) < 0)
    return -1;
  return 0;
}

static int setup_all(int *rfd, const char *name)
{
  return setup(rfd, name);
}

static void tool_setup(const char *name)
{
  int r;

  if (setup(&r, name) < 0)
    die("setup");
  drain(r);
}

static void tool_setup_all(const char *name)
{
  int r;

  if (setup_all(&r, name) != 0) {
    fputs("setup_all failed\n", stderr);
    exit(EXIT_FAILURE);
  }
  drain(r);
}

/* false on failure. */
struct chan {
  int rd;
  int wr;
};

static bool chan_open(struct chan *c, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return false;
  c->rd = fds[0];
  if (strlen(name) > MAX_NAME)
    return false;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'chan_open' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  c->wr = fds[1];
  return true;
}

static void tool_chan(const char *name)
{
  struct chan c;

  if (!chan_open(&c, name))
    die("chan_open");
  dprintf(c.wr, "hello\n");
  close(c.wr);
  drain(c.rd);
}

/* The read end, or -1. */
static int job_reader(const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: 'job_reader' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s\n", name);
  close(fds[1]);
  return fds[0];
}

static void tool_fd(const char *name)
{
  int fd;

  if ((fd = job_reader(name)) < 0)
    exit(1);
  drain(fd);
}

/* External linkage, but declared nowhere else: every call is here. */
int start_job_file_only(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_file_only' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void tool_file_only(const char *name)
{
  int r;

  if (start_job_file_only(&r, name) < 0)
    exit(1);
  drain(r);
}

/* One exit, through a cleanup label: the engine knows ret is -1 there on
 * the path that leaks. */
static int start_job_cleanup(int *rfd, const char *name)
{
  int fds[2];
  int ret = -1;

  if (pipe(fds) < 0)
    goto out;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    goto out;
  // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_cleanup' returns after this goto; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  ret = 0;
out:
  return ret;
  // CHECK-MESSAGES-ON: :[[@LINE-1]]:3: note: then 'start_job_cleanup' returns here
}

static void tool_cleanup(const char *name)
{
  int r;

  if (start_job_cleanup(&r, name) < 0)
    err(1, "start_job_cleanup");
  drain(r);
}

/* Writes a line to fd, which the caller hands over, and closes it; on a
 * line too long it returns -1 with fd still open. */
static int write_line(int fd, const char *line)
{
  if (strlen(line) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fd' is closed on another path but still open when 'write_line' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE+3]]:3: note: 'fd' is closed here on another path
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fd, "%s\n", line);
  close(fd);
  return 0;
}

static void tool_write_line(const char *line)
{
  int fds[2];

  if (pipe(fds) < 0)
    exit(2);
  if (write_line(fds[1], line) < 0)
    exit(1);
  drain(fds[0]);
}

/* Called in a fork() child that ends with _exit() when it fails. */
static int child_setup(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'child_setup' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  return 0;
}

static void tool_forked(const char *name)
{
  int status;
  pid_t pid = fork();

  if (pid < 0)
    exit(2);
  if (pid == 0) {
    int r;

    if (child_setup(&r, name) < 0)
      _exit(1);
    drain(r);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    exit(2);
  exit(WEXITSTATUS(status));
}

/* Called by main only, which returns when it fails. */
static int start_main_job(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_main_job' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
  return 0;
}

/* ---- still reported ---------------------------------------------------- */

/* One caller of two carries on. */
static int start_job_some(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_some' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_some_exits(const char *name)
{
  int r;

  if (start_job_some(&r, name) < 0)
    exit(1);
  drain(r);
}

static void job_some_carries_on(const char *name)
{
  int r;

  if (start_job_some(&r, name) < 0)
    fprintf(stderr, "no job; reading what there is\n");
  drain(r);
}

/* Its caller ignores the result. */
static int start_job_ignored(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_ignored' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_ignored(const char *name)
{
  int r;

  start_job_ignored(&r, name);
  drain(r);
}

/* Its caller tests the result, but ends the process on success only. */
static int start_job_other_side(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_other_side' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_other_side(const char *name)
{
  int r;

  if (start_job_other_side(&r, name) > 0)
    exit(1);
  drain(r);
}

/* Its address is taken: calls through the pointer are not seen. */
static int start_job_ptr(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_ptr' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_ptr_exits(const char *name)
{
  int r;

  if (start_job_ptr(&r, name) < 0)
    exit(1);
  drain(r);
}

static int (*const starter)(int *, const char *) = start_job_ptr;

static void job_through_pointer(const char *name)
{
  int r;

  starter(&r, name);
  drain(r);
}

/* The leak is on the success path; the caller exits on failure only. */
static int start_job_success_leak(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME) {
    close(fds[1]);
    return -1;
  }
  dprintf(fds[1], "job %s started\n", name);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'start_job_success_leak' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the false branch
}

static void job_success_leak(const char *name)
{
  int r;

  if (start_job_success_leak(&r, name) < 0)
    exit(1);
  drain(r);
}

/* Declared in a header: other files call it (caller-context-other.c). */
int start_job_api(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_api' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_api(const char *name)
{
  int r;

  if (start_job_api(&r, name) < 0)
    exit(1);
  drain(r);
}

/* External linkage and no caller here: caller-context-other.c calls it. */
int start_job_exported(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_exported' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

/* Its caller ends the process on failure, but reads the pipe first. */
static int start_job_drained(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_job_drained' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s started\n", name);
  close(fds[1]);
  return 0;
}

static void job_drained_first(const char *name)
{
  int r;

  if (start_job_drained(&r, name) < 0) {
    fprintf(stderr, "no job; it said %ld bytes\n", drain(r));
    exit(1);
  }
  drain(r);
}

/* Returns the read end, leaving the write end open; main, its caller,
 * returns when it gets -1, but reads the descriptor it gets otherwise. */
static int job_fd(const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  dprintf(fds[1], "job %s\n", name);
  return fds[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'job_fd' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
}

/* ---- scenarios --------------------------------------------------------- */

static void scenario(const char *s)
{
  if (strcmp(s, "exit") == 0)
    job_exit(long_name);
  else if (strcmp(s, "die") == 0)
    job_die(long_name);
  else if (strcmp(s, "errx") == 0)
    job_errx(long_name);
  else if (strcmp(s, "kept") == 0)
    job_kept(long_name);
  else if (strcmp(s, "assert") == 0)
    job_assert(long_name);
  else if (strcmp(s, "exec") == 0)
    job_exec(long_name);
  else if (strcmp(s, "success") == 0)
    job_then_exit(long_name);
  else if (strcmp(s, "depth2") == 0)
    tool_setup(long_name);
  else if (strcmp(s, "depth3") == 0)
    tool_setup_all(long_name);
  else if (strcmp(s, "bool") == 0)
    tool_chan(long_name);
  else if (strcmp(s, "fd") == 0)
    tool_fd(long_name);
  else if (strcmp(s, "file-only") == 0)
    tool_file_only(long_name);
  else if (strcmp(s, "cleanup") == 0)
    tool_cleanup(long_name);
  else if (strcmp(s, "owned") == 0)
    tool_write_line(long_name);
  else if (strcmp(s, "forked") == 0)
    tool_forked(long_name);
  else if (strcmp(s, "some-carries-on") == 0)
    job_some_carries_on(long_name);
  else if (strcmp(s, "ignored") == 0)
    job_ignored(long_name);
  else if (strcmp(s, "other-side") == 0)
    job_other_side(long_name);
  else if (strcmp(s, "pointer") == 0) {
    job_ptr_exits("short");
    job_through_pointer(long_name);
  } else if (strcmp(s, "success-leak") == 0)
    job_success_leak("short");
  else if (strcmp(s, "api") == 0) {
    job_api("short");
    drain(api_ignoring_failure(long_name));
  } else if (strcmp(s, "drained-first") == 0)
    job_drained_first(long_name);
  else if (strcmp(s, "exported") == 0)
    drain(exported_ignoring_failure(long_name));
  else
    fprintf(stderr, "unknown scenario '%s'\n", s);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid;

  if (strcmp(s, "main-fd") == 0) {
    int fd = job_fd("short");

    if (fd < 0)
      return 1;
    drain(fd);
    return 0;
  }
  if (strcmp(s, "main") == 0) {
    int r;

    if (start_main_job(&r, long_name) < 0) {
      puts("no job to wait for");
      return 0;
    }
    drain(r);
    return 0;
  }
  /* The scenario in a child: a silenced one must end the child on its
   * failure path (status 1, or SIGABRT from assert). */
  pid = fork();
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
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)
    return 0;
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

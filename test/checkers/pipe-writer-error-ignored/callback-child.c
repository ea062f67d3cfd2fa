// pipe-writer-error-ignored when the child's code is a function the start
// helper is given: `job_start(&j, export_rows)` forks and calls
// `body(p[1])` in the child, then `_exit(0)`. At a call whose argument is
// a function of this file (two helpers deep too: `job_open(&j, fn)`
// passing its own parameter on to job_start()), the child runs that function: a child
// that writes part of its output and fails (`_exit(3)`) is seen, and the
// reader that reads to end-of-file and reaps it with
// `waitpid(pid, NULL, 0)` is reported; each such scenario exits 0 when the
// reader took the truncated output as complete. The near-misses stay
// silent and exit 0: a callback that never fails (its status says nothing),
// and one taken from a table with an index known only at run time (the
// call through it stays unknown).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t
// RUN: %run_example %s failing-callback exit
// RUN: %run_example %s failing-callback-two-deep exit
// RUN: %run_example %s callback-never-fails exit
// RUN: %run_example %s callback-from-table exit

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
  pid_t pid;
  int out;
};

/* Forks a child that runs body(fd) on the pipe's write end. */
static int job_start(struct job *j, void (*body)(int))
{
  int p[2];

  if (pipe(p))
    return -1;
  j->pid = fork();
  if (j->pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (j->pid == 0) {
    close(p[0]);
    body(p[1]);
    _exit(0);
  }
  close(p[1]);
  j->out = p[0];
  return 0;
}

/* Writes 40 of 100 rows, then the source goes away. */
static void export_rows(int fd)
{
  for (int i = 0; i < 100; i++) {
    if (i == 40)
      _exit(3);
    dprintf(fd, "row %d\n", i);
  }
}

/* Writes all 100 rows; never fails. */
static void export_all(int fd)
{
  for (int i = 0; i < 100; i++)
    dprintf(fd, "row %d\n", i);
}

/* The number of rows read, or -1. */
static int count_rows(int fd)
{
  char buf[4096];
  ssize_t n;
  int rows = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++)
      rows += buf[i] == '\n';
  return rows;
}

int failing_callback(void)
{
  struct job j;
  int rows;

  if (job_start(&j, export_rows))
    return -1;
  rows = count_rows(j.out);
  close(j.out);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: waitpid() discards the exit status of child process 'j.pid', which writes the pipe read from 'j.out': a child that fails part-way looks like one that finished, and the output read is used as if complete; check WIFEXITED() and WEXITSTATUS() of the status [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'j.pid' starts here
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: 'j.out' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  waitpid(j.pid, NULL, 0);
  return rows;
}

/* The same start one helper further, the callback passed on. */
static int job_open(struct job *j, void (*fn)(int))
{
  if (job_start(j, fn)) {
    perror("job_start");
    return -1;
  }
  return 0;
}

int failing_callback_two_deep(void)
{
  struct job j;
  int rows;

  if (job_open(&j, export_rows))
    return -1;
  rows = count_rows(j.out);
  close(j.out);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: waitpid() discards the exit status of child process 'j.pid', which writes the pipe read from 'j.out': a child that fails part-way looks like one that finished, and the output read is used as if complete; check WIFEXITED() and WEXITSTATUS() of the status [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'j.pid' starts here
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: 'j.out' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  waitpid(j.pid, NULL, 0);
  return rows;
}

int callback_never_fails(void)
{
  struct job j;
  int rows;

  if (job_start(&j, export_all))
    return -1;
  rows = count_rows(j.out);
  close(j.out);
  waitpid(j.pid, NULL, 0);
  return rows;
}

static void (*const exporters[])(int) = {export_all, export_all};

int callback_from_table(int which)
{
  struct job j;
  int rows;

  if (job_start(&j, exporters[which]))
    return -1;
  rows = count_rows(j.out);
  close(j.out);
  waitpid(j.pid, NULL, 0);
  return rows;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  /* The truncated output (40 of 100 rows) was taken as complete. */
  if (strcmp(s, "failing-callback") == 0)
    return failing_callback() != 40;
  if (strcmp(s, "failing-callback-two-deep") == 0)
    return failing_callback_two_deep() != 40;
  if (strcmp(s, "callback-never-fails") == 0)
    return callback_never_fails() != 100;
  if (strcmp(s, "callback-from-table") == 0)
    return callback_from_table(argc - 2) != 100;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-writer-error-ignored: the reader reads a child's output to
// end-of-file and then waits for it through a helper of its own that
// throws the exit status away: `wait_child(pid)` whose body is
// `waitpid(pid, NULL, 0)` (depth 1), and `finish(&w)` -> `reap_pid()`
// whose `waitpid(pid, &st, 0)` never reads `st` (depth 2, the pid in a
// struct). Each child writes part of its output and then fails (_exit(3));
// the scenario exits 0 only when the reader took the truncated output as
// complete. The near-misses return the status from the helper and the
// reader checks it: they report the failure (the scenario exits 0 when
// they do) and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t
// RUN: %run_example %s pid-helper exit
// RUN: %run_example %s struct-depth2 exit
// RUN: %run_example %s status-returned exit
// RUN: %run_example %s struct-status-returned exit

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_some_then_fail(int fd)
{
  dprintf(fd, "part one\n");
  _exit(3); /* the rest never comes */
}

/* Returns the read end of the child's output, the pid in *pidp; -1. */
static int spawn_writer(pid_t *pidp)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    write_some_then_fail(p[1]);
  }
  close(p[1]);
  *pidp = pid;
  return p[0];
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

static void wait_child(pid_t pid)
{
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() discards the exit status of child process 'pid', which writes the pipe read from 'rd': a child that fails part-way looks like one that finished, and the output read is used as if complete; have 'wait_child' return the status, and check WIFEXITED() and WEXITSTATUS() of it where the output is used [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE+10]]:12: note: child process 'pid' starts here
  // CHECK-MESSAGES: :[[@LINE+14]]:3: note: 'wait_child' is called here and waits for child process 'pid'
  // CHECK-MESSAGES: :[[@LINE+11]]:12: note: 'rd' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE+7]]:12: note: pipe created here
}

/* Returns the bytes read, or -1. */
static long pid_helper(void)
{
  pid_t pid;
  int rd = spawn_writer(&pid);
  if (rd < 0)
    return -1;
  long n = drain(rd);
  close(rd);
  wait_child(pid);
  return n;
}

struct worker {
  pid_t pid;
  int out;
};

static void reap_pid(pid_t pid)
{
  int st;
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() stores, but nothing reads, the exit status of child process 'w.pid', which writes the pipe read from 'w.out': a child that fails part-way looks like one that finished, and the output read is used as if complete; have 'reap_pid' return the status, and check WIFEXITED() and WEXITSTATUS() of it where the output is used [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE+14]]:11: note: child process 'w.pid' starts here
  // CHECK-MESSAGES: :[[@LINE+18]]:3: note: 'finish' is called here and waits for child process 'w.pid'
  // CHECK-MESSAGES: :[[@LINE+15]]:12: note: 'w.out' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE+11]]:11: note: pipe created here
}

static void finish(struct worker *w)
{
  reap_pid(w->pid);
}

static long struct_depth2(void)
{
  struct worker w;
  w.out = spawn_writer(&w.pid);
  if (w.out < 0)
    return -1;
  long n = drain(w.out);
  close(w.out);
  finish(&w);
  return n;
}

/* Near-miss: the helper returns the status; the reader checks it. */
static int wait_status(pid_t pid)
{
  int st;
  if (waitpid(pid, &st, 0) < 0)
    return -1;
  return st;
}

static long status_returned(void)
{
  pid_t pid;
  int rd = spawn_writer(&pid);
  if (rd < 0)
    return -1;
  long n = drain(rd);
  close(rd);
  int st = wait_status(pid);
  if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return -1;
  return n;
}

/* Near-miss: the same through a struct and two helpers. */
static int finish_status(struct worker *w)
{
  return wait_status(w->pid);
}

static long struct_status_returned(void)
{
  struct worker w;
  w.out = spawn_writer(&w.pid);
  if (w.out < 0)
    return -1;
  long n = drain(w.out);
  close(w.out);
  int st = finish_status(&w);
  if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return -1;
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  /* "part one\n" is 9 bytes: a positive took them as the whole output,
   * a near-miss saw the failure. */
  if (strcmp(s, "pid-helper") == 0)
    return pid_helper() == 9 ? 0 : 1;
  if (strcmp(s, "struct-depth2") == 0)
    return struct_depth2() == 9 ? 0 : 1;
  if (strcmp(s, "status-returned") == 0)
    return status_returned() == -1 ? 0 : 1;
  if (strcmp(s, "struct-status-returned") == 0)
    return struct_status_returned() == -1 ? 0 : 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

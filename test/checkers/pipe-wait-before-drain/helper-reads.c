// pipe-wait-before-drain when the output is read by a helper too: a
// struct holds the child's pid and its output pipe, one helper starts the
// child, one waits for it, and one reads the output to end-of-file through
// the struct pointer. The caller waits before it calls the reader: `seq 1
// 100000` fills the pipe (64 KiB) and blocks, so the wait never returns;
// the "-ok" scenario prints three lines, which fit. The near-miss reads
// first. A finish helper that waits and then reads the output itself hangs
// the same way, at its call; one that reads first finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s wait-then-read hang
// RUN: %run_example %s wait-then-read-ok exit
// RUN: %run_example %s read-then-wait exit
// RUN: %run_example %s finish hang
// RUN: %run_example %s finish-ok exit
// RUN: %run_example %s finish-read-first exit

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct runner {
  int out[2];
  pid_t pid;
};

/* Starts `seq 1 LAST` with its output on r->out[1]; 0, or -1. */
static int runner_start(struct runner *r, const char *last)
{
  if (pipe(r->out) < 0)
    return -1;
  r->pid = fork();
  if (r->pid < 0) {
    close(r->out[0]);
    close(r->out[1]);
    return -1;
  }
  if (r->pid == 0) {
    dup2(r->out[1], STDOUT_FILENO);
    close(r->out[0]);
    close(r->out[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  close(r->out[1]);
  return 0;
}

static int runner_wait(struct runner *r)
{
  int status = 0;
  if (waitpid(r->pid, &status, 0) < 0)
    return -1;
  return status;
}

/* Reads the whole output and closes the read end; how many bytes. */
static long runner_read_all(struct runner *r)
{
  char buf[4096];
  ssize_t n;
  long total = 0;
  while ((n = read(r->out[0], buf, sizeof buf)) > 0)
    total += n;
  close(r->out[0]);
  return total;
}

long output_size(const char *last)
{
  struct runner r;
  if (runner_start(&r, last) < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: runner_wait() waits for child process 'r.pid' before its output pipe 'r.out[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: child process 'r.pid' starts here; it makes 'r.out[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:10: note: 'r.out[0]' is read only here, after the wait
  if (runner_wait(&r) != 0)
    return -1;
  return runner_read_all(&r);
}

/* Near miss: the output is read to the end before the wait. */
long output_size_read_first(const char *last)
{
  struct runner r;
  long n;
  if (runner_start(&r, last) < 0)
    return -1;
  n = runner_read_all(&r);
  if (runner_wait(&r) != 0)
    return -1;
  return n;
}

/* Waits for the child, then reads its output: the wait comes first. */
static long runner_finish(struct runner *r)
{
  int status = 0;
  waitpid(r->pid, &status, 0);
  return runner_read_all(r);
}

/* Near miss: reads the output, then waits. */
static long runner_finish_read_first(struct runner *r)
{
  int status = 0;
  long n = runner_read_all(r);
  waitpid(r->pid, &status, 0);
  return n;
}

long finished_output(const char *last, int read_first)
{
  struct runner r;
  if (runner_start(&r, last) < 0)
    return -1;
  if (read_first)
    return runner_finish_read_first(&r);
  // CHECK-MESSAGES: :[[@LINE+5]]:10: warning: runner_finish() waits for child process 'r.pid' before its output pipe 'r.out[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'r.pid' starts here; it makes 'r.out[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: runner_finish() reads 'r.out[0]' only after that wait
  // CHECK-MESSAGES: :120:7: note: taking the false branch
  return runner_finish(&r);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "wait-then-read") == 0)
    return output_size("100000") <= 0;
  if (strcmp(s, "wait-then-read-ok") == 0)
    return output_size("3") != 6;
  if (strcmp(s, "read-then-wait") == 0)
    return output_size_read_first("100000") <= 0;
  if (strcmp(s, "finish") == 0)
    return finished_output("100000", 0) <= 0;
  if (strcmp(s, "finish-ok") == 0)
    return finished_output("3", 0) != 6;
  if (strcmp(s, "finish-read-first") == 0)
    return finished_output("100000", 1) <= 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

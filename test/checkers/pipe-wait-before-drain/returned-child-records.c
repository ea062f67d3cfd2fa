// pipe-wait-before-drain when a helper forks the writer child and returns
// its pid and the read end of its output pipe in a record: a local struct
// whose members get the pid variable and the end (`r.pid = pid; r.out =
// p[0]; return r;`), a compound literal built in the return statement,
// the same record passed up through a second helper (`return
// spawn_copy();`), or a heap object the helper allocates and returns. The
// child's code may be a function of its own that ends in `_exit()` and is
// given the caller's settings through a pointer (`emit_report(cfg,
// p[1])`): a call of such a function ends the child's path there. The
// caller waits for the child before it reads the output; the child writes
// 1 MiB, so it blocks on the full pipe (64 KiB) and the wait never
// returns. The near miss reads the output to end-of-file first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s copy-wait-first hang
// RUN: %run_example %s literal-wait-first hang
// RUN: %run_example %s outer-wait-first hang
// RUN: %run_example %s heap-wait-first hang
// RUN: %run_example %s report-wait-first hang
// RUN: %run_example %s copy-drain-first exit

#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct proc {
  pid_t pid;
  int out;
};

static void produce(int fd)
{
  char block[4096];
  memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      _exit(1);
  _exit(0);
}

static struct proc spawn_copy(void)
{
  struct proc r = {-1, -1};
  int p[2];
  if (pipe(p) < 0)
    return r;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return r;
  }
  if (pid == 0) {
    close(p[0]);
    produce(p[1]);
  }
  close(p[1]);
  r.pid = pid;
  r.out = p[0];
  return r;
}

static struct proc spawn_literal(void)
{
  int p[2];
  if (pipe(p) < 0)
    return (struct proc){-1, -1};
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    produce(p[1]);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    return (struct proc){-1, -1};
  }
  return (struct proc){.pid = pid, .out = p[0]};
}

struct report_cfg {
  const char *title;
  int rows;
};

/* The child's code: a title, then one line per row; it never returns. */
static void emit_report(const struct report_cfg *cfg, int fd)
{
  char line[64];

  if (dprintf(fd, "%s\n", cfg->title) < 0)
    _exit(1);
  for (int i = 0; i < cfg->rows; i++) {
    int n = snprintf(line, sizeof line, "row %08d of the report\n", i);
    if (write(fd, line, (size_t)n) != n)
      _exit(1);
  }
  _exit(0);
}

static struct proc spawn_report(const struct report_cfg *cfg)
{
  struct proc r = {-1, -1};
  int p[2];

  if (pipe(p) < 0)
    return r;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return r;
  }
  if (pid == 0) {
    close(p[0]);
    emit_report(cfg, p[1]);
  }
  close(p[1]);
  r.pid = pid;
  r.out = p[0];
  return r;
}

static struct proc spawn_outer(void)
{
  return spawn_copy();
}

static struct proc *spawn_heap(void)
{
  int p[2];
  struct proc *r = malloc(sizeof *r);
  if (!r)
    return NULL;
  if (pipe(p) < 0) {
    free(r);
    return NULL;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    produce(p[1]);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    free(r);
    return NULL;
  }
  r->pid = pid;
  r->out = p[0];
  return r;
}

static long drain(int fd)
{
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

int copy_wait_first(void)
{
  struct proc r = spawn_copy();
  int st;
  if (r.pid < 0)
    return -1;
  waitpid(r.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'r.pid' before its output pipe 'r.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: child process 'r.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r.out' is read only here, after the wait
  long n = drain(r.out);
  close(r.out);
  return n == 1 << 20 ? 0 : 1;
}

int literal_wait_first(void)
{
  struct proc r = spawn_literal();
  int st;
  if (r.pid < 0)
    return -1;
  waitpid(r.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'r.pid' before its output pipe 'r.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: child process 'r.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r.out' is read only here, after the wait
  long n = drain(r.out);
  close(r.out);
  return n == 1 << 20 ? 0 : 1;
}

int outer_wait_first(void)
{
  struct proc r = spawn_outer();
  int st;
  if (r.pid < 0)
    return -1;
  waitpid(r.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'r.pid' before its output pipe 'r.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: child process 'r.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r.out' is read only here, after the wait
  long n = drain(r.out);
  close(r.out);
  return n == 1 << 20 ? 0 : 1;
}

int heap_wait_first(void)
{
  struct proc *r = spawn_heap();
  int st;
  if (!r)
    return -1;
  waitpid(r->pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'r->pid' before its output pipe 'r->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:20: note: child process 'r->pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:20: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r->out' is read only here, after the wait
  long n = drain(r->out);
  close(r->out);
  free(r);
  return n == 1 << 20 ? 0 : 1;
}

int report_wait_first(void)
{
  struct report_cfg cfg = {"monthly", 100000};
  struct proc r = spawn_report(&cfg);
  int st;
  if (r.pid < 0)
    return -1;
  waitpid(r.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'r.pid' before its output pipe 'r.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: child process 'r.pid' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r.out' is read only here, after the wait
  long n = drain(r.out);
  close(r.out);
  return n > 0 ? 0 : 1;
}

int copy_drain_first(void)
{
  struct proc r = spawn_copy();
  int st;
  if (r.pid < 0)
    return -1;
  long n = drain(r.out);
  close(r.out);
  waitpid(r.pid, &st, 0);
  return n == 1 << 20 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "copy-wait-first") == 0)
    return copy_wait_first();
  if (strcmp(s, "literal-wait-first") == 0)
    return literal_wait_first();
  if (strcmp(s, "outer-wait-first") == 0)
    return outer_wait_first();
  if (strcmp(s, "report-wait-first") == 0)
    return report_wait_first();
  if (strcmp(s, "heap-wait-first") == 0)
    return heap_wait_first();
  if (strcmp(s, "copy-drain-first") == 0)
    return copy_drain_first();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

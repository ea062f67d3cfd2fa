// A helper that runs code it is given through a function pointer
// (`spawn_worker(&w, count_lines)` forks and calls `body(in[0])` in the
// child) is analysed, on its own, with the function every call in the
// translation unit gives that pointer: a call through it is a call of that
// function. So a child that keeps the write end of its own input pipe and
// reads that pipe to end-of-file through the callback is found, as when it
// calls the function by name (pipe-unclosed-write-end: the child's copy of
// the write end, inherited at the fork, is the defect), and so is a parent
// that waits for a child whose callback fills the output pipe
// (pipe-wait-before-drain). The pointer may come down through a second
// helper (`start_filter(&w, fn)` passing `fn` on). Each finding's scenario
// hangs.
//
// Near misses: the same helpers done right (the child closes the write
// end first; the parent reads before it waits), and a helper whose two
// calls give it two different functions, of which it cannot know which
// runs: silent, and it finishes with the function that writes little.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end,pipe-wait-before-drain %t
// RUN: %run_example %s worker-keeps-write-end hang
// RUN: %run_example %s filter-keeps-write-end hang
// RUN: %run_example %s capture-wait-first hang
// RUN: %run_example %s worker-closes-write-end exit
// RUN: %run_example %s capture-read-first exit
// RUN: %run_example %s capture-either-small exit

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*worker_fn)(int in_fd);
typedef void (*producer_fn)(int out_fd);

struct worker {
  pid_t pid;
  int to_child;
};

/* Reads its input to end-of-file and exits. */
static void count_lines(int fd)
{
  char buf[512];
  long lines = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++)
      lines += buf[i] == '\n';
  _exit(lines > 0 ? 0 : 1);
}

/* The child keeps in[1]: count_lines() never sees end-of-file. */
static int spawn_worker(struct worker *w, worker_fn body)
{
  int in[2];

  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    body(in[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+190]]:12: note: every call of 'spawn_worker' passes 'count_lines' as 'body', as here
    _exit(0);
  }
  close(in[0]);
  w->pid = pid;
  w->to_child = in[1];
  return 0;
}

/* The same bug, one helper further down. */
static int spawn_filter(struct worker *w, worker_fn body)
{
  int in[2];

  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    body(in[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+11]]:10: note: every call of 'spawn_filter' passes 'count_lines' as 'body', as here
    _exit(0);
  }
  close(in[0]);
  w->pid = pid;
  w->to_child = in[1];
  return 0;
}

static int start_filter(struct worker *w, worker_fn fn)
{
  return spawn_filter(w, fn);
}

/* Done right: the child closes in[1] first. */
static int spawn_worker_ok(struct worker *w, worker_fn body)
{
  int in[2];

  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    close(in[1]);
    body(in[0]);
    _exit(0);
  }
  close(in[0]);
  w->pid = pid;
  w->to_child = in[1];
  return 0;
}

static int feed_and_wait(struct worker *w)
{
  int st = 0;

  (void)!write(w->to_child, "a\nb\n", 4);
  close(w->to_child);
  waitpid(w->pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

/* 1 MiB of output, far more than a pipe holds. */
static void emit_mib(int fd)
{
  char block[4096];

  memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      _exit(1);
  _exit(0);
}

static void emit_line(int fd)
{
  (void)!write(fd, "ok\n", 3);
  _exit(0);
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

/* Waits for the child before it reads what the child writes. */
static long capture_wait_first(producer_fn produce)
{
  int p[2], st;

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
    produce(p[1]);
    _exit(0);
  }
  close(p[1]);
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-14]]:15: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:12: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: taking the false branch
  long n = drain(p[0]);
  close(p[0]);
  return n;
}

/* Done right: reads to end-of-file, then waits. */
static long capture_read_first(producer_fn produce)
{
  int p[2], st;

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
    produce(p[1]);
    _exit(0);
  }
  close(p[1]);
  long n = drain(p[0]);
  close(p[0]);
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? n : -1;
}

/* Called with two different functions: which one runs is not known. */
static long capture_either(producer_fn produce)
{
  int p[2], st;

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
    produce(p[1]);
    _exit(0);
  }
  close(p[1]);
  waitpid(pid, &st, 0);
  long n = drain(p[0]);
  close(p[0]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  struct worker w;

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "worker-keeps-write-end") == 0)
    return spawn_worker(&w, count_lines) < 0 || feed_and_wait(&w);
  if (strcmp(s, "filter-keeps-write-end") == 0)
    return start_filter(&w, count_lines) < 0 || feed_and_wait(&w);
  if (strcmp(s, "worker-closes-write-end") == 0)
    return spawn_worker_ok(&w, count_lines) < 0 || feed_and_wait(&w);
  if (strcmp(s, "capture-wait-first") == 0)
    return capture_wait_first(emit_mib) != 1 << 20;
  if (strcmp(s, "capture-read-first") == 0)
    return capture_read_first(emit_mib) != 1 << 20;
  if (strcmp(s, "capture-either-small") == 0)
    return capture_either(emit_line) != 3;
  if (strcmp(s, "capture-either-large") == 0)
    return capture_either(emit_mib) != 1 << 20;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

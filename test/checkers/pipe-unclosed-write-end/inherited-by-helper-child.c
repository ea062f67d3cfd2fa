// pipe-unclosed-write-end where the program that inherits a write end is
// started by a helper: `spawn_sort(&in)` forks, and its child runs sort
// with a pipe of the helper's own as its standard input. The caller's pipe
// was made without O_CLOEXEC, so sort inherits the caller's write end too.
// The caller then reads its pipe to end-of-file, which never comes while
// sort runs; sort runs until its own input is closed, which the caller
// does only after the read: each scenario hangs. The helper is one or two
// calls deep. A helper that makes two pipes for cat, without O_CLOEXEC,
// is reported where the input's write end leaves it: a second cat
// inherits the first one's input, and the first never ends.
//
// The near misses finish: the caller's pipe made with O_CLOEXEC, a child
// that closes every descriptor above 2 before it execs (closefrom()), and
// an end the caller gives the helper for the child's output (the child
// names it; the caller closes its own copy).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s two-deep hang
// RUN: %run_example %s two-filters hang
// RUN: %run_example %s cloexec exit
// RUN: %run_example %s closefrom exit
// RUN: %run_example %s given-output exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts sort reading a new pipe; *in_fd is its write end. */
static pid_t spawn_sort(int *in_fd)
{
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    execlp("sort", "sort", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  if (pid < 0) {
    close(in[1]);
    return -1;
  }
  *in_fd = in[1];
  return pid;
}

static pid_t start_filter(int *in_fd)
{
  return spawn_sort(in_fd);
}

/* The same, but the child closes what it does not name first. */
static pid_t spawn_sort_closing(int *in_fd)
{
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    closefrom(3);
    execlp("sort", "sort", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  if (pid < 0) {
    close(in[1]);
    return -1;
  }
  *in_fd = in[1];
  return pid;
}

/* Starts cat between two new pipes, made without O_CLOEXEC: *in_fd
   writes its input, *out_fd reads its output. */
static pid_t spawn_cat(int *in_fd, int *out_fd)
{
  int in[2], out[2];
  if (pipe(in) != 0)
    return -1;
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("cat", "cat", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  *in_fd = in[1];
  *out_fd = out[0];
  return pid;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end '*in_fd' of the pipe leaves 'spawn_cat' here without O_CLOEXEC, and 'two_filters' starts a program with 'spawn_cat' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'spawn_cat' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-24]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+74]]:13: note: the program started here inherits 'in1', which 'two_filters' got from 'spawn_cat'
}

/* Starts echo writing to out. */
static pid_t spawn_echo(int out)
{
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, STDOUT_FILENO);
    close(out);
    execlp("echo", "echo", "hello", (char *)NULL);
    _exit(127);
  }
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

static int finish(pid_t pid, int in)
{
  int st = 0;
  close(in);
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static int direct(void)
{
  int p[2], in;
  if (pipe(p) != 0)
    return 1;
  pid_t pid = spawn_sort(&in);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: write end 'p[1]' is inherited by the child that 'spawn_sort' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  if (pid < 0)
    return 1;
  (void)!write(p[1], "x", 1);
  close(p[1]);
  long got = drain(p[0]);
  close(p[0]);
  return finish(pid, in) || got != 1;
}

static int two_deep(void)
{
  int p[2], in;
  if (pipe(p) != 0)
    return 1;
  pid_t pid = start_filter(&in);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: write end 'p[1]' is inherited by the child that 'start_filter' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  if (pid < 0)
    return 1;
  close(p[1]);
  long got = drain(p[0]);
  close(p[0]);
  return finish(pid, in) || got != 0;
}

/* Two filters: the second inherits the first one's input. */
static int two_filters(void)
{
  int in1, out1, in2, out2;
  pid_t a = spawn_cat(&in1, &out1);
  if (a < 0)
    return 1;
  pid_t b = spawn_cat(&in2, &out2);
  if (b < 0)
    return 1;
  (void)!write(in1, "one\n", 4);
  close(in1);
  long got = drain(out1);
  close(out1);
  close(in2);
  long got2 = drain(out2);
  close(out2);
  int st = 0;
  waitpid(a, &st, 0);
  waitpid(b, &st, 0);
  return got == 4 && got2 == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static int cloexec(void)
{
  int p[2], in;
  if (pipe2(p, O_CLOEXEC) != 0)
    return 1;
  pid_t pid = spawn_sort(&in);
  if (pid < 0)
    return 1;
  close(p[1]);
  long got = drain(p[0]);
  close(p[0]);
  return finish(pid, in) || got != 0;
}

static int closes_first(void)
{
  int p[2], in;
  if (pipe(p) != 0)
    return 1;
  pid_t pid = spawn_sort_closing(&in);
  if (pid < 0)
    return 1;
  close(p[1]);
  long got = drain(p[0]);
  close(p[0]);
  return finish(pid, in) || got != 0;
}

static int given_output(void)
{
  int p[2];
  if (pipe(p) != 0)
    return 1;
  pid_t pid = spawn_echo(p[1]);
  close(p[1]);
  if (pid < 0)
    return 1;
  long got = drain(p[0]);
  close(p[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  return got == 6 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "direct"))
    return direct();
  if (!strcmp(s, "two-deep"))
    return two_deep();
  if (!strcmp(s, "two-filters"))
    return two_filters();
  if (!strcmp(s, "cloexec"))
    return cloexec();
  if (!strcmp(s, "closefrom"))
    return closes_first();
  if (!strcmp(s, "given-output"))
    return given_output();
  return 2;
}

// pipe-self-deadlock: a standard stream that dup2() made a copy of the write
// end (issue 17). `dup2(fds[1], 1); close(fds[1]);` leaves descriptor 1 a
// second descriptor of the write end: a read of fds[0] until end-of-file in
// this process waits for fd 1 to be closed too, and never ends (hang). The
// number is a constant, STDOUT_FILENO, or fileno(stderr); the read is a loop
// or a helper two deep; the pipe is in an array or a struct; the dup2()
// direct or through a wrapper of the program. Near-misses,
// silent and finishing: the old output restored with dup2(saved, 1) (also
// through a helper of the file) or fd 1 closed before the loop, the dup2()
// only in a fork() child, and a single read after printing through fd 1
// (the data is there).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s capture-puts hang
// RUN: %run_example %s capture-stderr hang
// RUN: %run_example %s capture-open hang
// RUN: %run_example %s capture-wrapper hang
// RUN: %run_example %s restored exit
// RUN: %run_example %s restored-helper exit
// RUN: %run_example %s closed-fd1 exit
// RUN: %run_example %s child-only exit
// RUN: %run_example %s single-read exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- reported ----------------------------------------------------------- */

/* Captures what puts() prints by pointing fd 1 at a pipe. */
long capture_puts(void)
{
  int fds[2], saved;
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  saved = dup(STDOUT_FILENO);
  dup2(fds[1], 1);
  close(fds[1]);
  puts("hello");
  fflush(stdout);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'fds[1]', so the pipe stays open after 'fds[1]' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: standard output (fd 1) becomes a copy of 'fds[1]' here
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    total += n;
  dup2(saved, 1);
  close(saved);
  close(fds[0]);
  return total;
}

struct capture {
  int fds[2];
  int saved;
};

static long slurp(int fd)
{
  char buf[1024];
  long total = 0;

  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    total += n;
  }
  return total;
}

/* Depth 2: reads a descriptor until end-of-file. */
static long collect(int fd)
{
  return slurp(fd);
}

/* Captures the diagnostics a step prints to standard error. */
long capture_stderr(void)
{
  struct capture c;
  long n;

  if (pipe(c.fds) < 0)
    return -1;
  c.saved = dup(STDERR_FILENO);
  dup2(c.fds[1], fileno(stderr));
  close(c.fds[1]);
  fprintf(stderr, "warning: something\n");
  n = collect(c.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'c.fds[0]' until end-of-file never ends: standard error (fd 2) is still a copy of the write end 'c.fds[1]', so the pipe stays open after 'c.fds[1]' is closed; restore or close fd 2 before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: standard error (fd 2) becomes a copy of 'c.fds[1]' here
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  dup2(c.saved, STDERR_FILENO);
  close(c.saved);
  close(c.fds[0]);
  return n;
}

/* The write end itself is still open too: closing it is not enough. */
long capture_open(void)
{
  int fds[2], saved;
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  saved = dup(STDOUT_FILENO);
  dup2(fds[1], STDOUT_FILENO);
  printf("%d\n", 42);
  fflush(stdout);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: standard output (fd 1) is also a copy of the write end, made here; restore or close fd 1 before the read loop too
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
    total += n;
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(fds[0]);
  close(fds[1]);
  return total;
}

/* A dup2() wrapper of the program. */
static int redirect(int from, int to)
{
  return dup2(from, to);
}

long capture_wrapper(void)
{
  int fds[2], saved;
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  saved = dup(STDOUT_FILENO);
  redirect(fds[1], STDOUT_FILENO);
  close(fds[1]);
  printf("wrapped\n");
  fflush(stdout);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'fds[1]', so the pipe stays open after 'fds[1]' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: standard output (fd 1) becomes a copy of 'fds[1]' here
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    total += n;
  redirect(saved, STDOUT_FILENO);
  close(saved);
  close(fds[0]);
  return total;
}

/* ---- near-misses -------------------------------------------------------- */

/* The old output is back on fd 1 before the loop. */
long restored(void)
{
  int fds[2], saved;
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  saved = dup(STDOUT_FILENO);
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  puts("hello");
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

static void restore_output(int saved)
{
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
}

/* The same through a helper of the file. */
long restored_helper(void)
{
  int fds[2];
  int saved = dup(STDOUT_FILENO);
  long n;

  if (pipe(fds) < 0)
    return -1;
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  puts("hello");
  restore_output(saved);
  n = collect(fds[0]);
  close(fds[0]);
  return n;
}

/* fd 1 is closed before the loop (the output goes nowhere after that). */
long closed_fd1(void)
{
  int fds[2];
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  dup2(fds[1], 1);
  close(fds[1]);
  puts("hello");
  fflush(stdout);
  close(1);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

/* Only the child points its fd 1 at the pipe; the parent's is its own. */
long child_only(void)
{
  int fds[2];
  char buf[256];
  long total = 0;
  ssize_t n;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("echo", "echo", "hello", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

/* One read after printing through fd 1: the line is in the pipe. */
long single_read(void)
{
  int fds[2], saved;
  char buf[256];
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  saved = dup(STDOUT_FILENO);
  dup2(fds[1], STDOUT_FILENO);
  puts("hello");
  fflush(stdout);
  n = read(fds[0], buf, sizeof buf);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(fds[0]);
  close(fds[1]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "capture-puts") == 0)
    return capture_puts() != 6;
  if (strcmp(s, "capture-stderr") == 0)
    return capture_stderr() != 19;
  if (strcmp(s, "capture-open") == 0)
    return capture_open() != 3;
  if (strcmp(s, "capture-wrapper") == 0)
    return capture_wrapper() != 8;
  if (strcmp(s, "restored") == 0)
    return restored() != 6;
  if (strcmp(s, "restored-helper") == 0)
    return restored_helper() != 6;
  if (strcmp(s, "closed-fd1") == 0)
    return closed_fd1() != 6;
  if (strcmp(s, "child-only") == 0)
    return child_only() != 6;
  if (strcmp(s, "single-read") == 0)
    return single_read() != 6;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Real leaks written with the idioms of idioms-near-miss.c: following a
// pipe() result through likely()/unlikely() or a statement expression, and
// a cleanup variable, must not hide them, and the error branch that the
// success path cannot take is not reported. Each finding has a scenario
// that takes the reported path and reads the pipe to the end, which never
// comes: the program hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s unlikely hang
// RUN: %run_example %s stmt-expr hang
// RUN: %run_example %s cleanup hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static void closep(int *fd)
{
  if (*fd >= 0)
    close(*fd);
}
#define _cleanup_close_ __attribute__((cleanup(closep)))

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return n < 0 ? -1 : total;
}

/* Forgets the write end. */
static int feed_unlikely(const char *msg)
{
  int p[2];

  if (unlikely(pipe(p) < 0))
    return -1;
  if (likely(msg != NULL))
    write(p[1], msg, strlen(msg));
  return p[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p[1]' of the pipe is still open when 'feed_unlikely' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:16: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the false branch
}

static int feed_stmt_expr(const char *msg)
{
  int p[2];

  if (({ int r = pipe(p); r; }) < 0)
    return -1;
  write(p[1], msg, strlen(msg));
  return p[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p[1]' of the pipe is still open when 'feed_stmt_expr' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:18: note: pipe created here
}

/* The cleanup variable closes only the descriptor it holds: the log file,
 * not the pipe's write end. */
static int feed_with_cleanup(const char *msg, int *out)
{
  _cleanup_close_ int log = -1;
  int p[2];

  log = open("/dev/null", O_WRONLY);
  if (pipe(p) < 0)
    return -errno;
  write(p[1], msg, strlen(msg));
  write(log, msg, strlen(msg));
  *out = p[0];
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p[1]' of the pipe is still open when 'feed_with_cleanup' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int fd = -1;

  if (strcmp(s, "unlikely") == 0)
    fd = feed_unlikely("hello");
  else if (strcmp(s, "stmt-expr") == 0)
    fd = feed_stmt_expr("hello");
  else if (strcmp(s, "cleanup") == 0 && feed_with_cleanup("hello", &fd) < 0)
    return 1;
  if (fd < 0)
    return 1;
  drain(fd);
  close(fd);
  return 0;
}

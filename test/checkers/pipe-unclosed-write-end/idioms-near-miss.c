// Common C idioms around pipe(), all correct: no pipe check may report
// anything here. Each used to draw a false report: a pipe() result tested
// through __builtin_expect (likely()/unlikely()) or a GNU statement
// expression was not followed, so the success path also took the error
// branch with both ends open; a variable with systemd's cleanup attribute
// was not known to be closed at the end of its scope; and a pipe() into a
// place three selectors deep (`o.in.fd`, `a[1].b.c`, `kids[i].fd`) left
// both ends open with no name ("write end ''") at every later exit.
// Every scenario runs and terminates: its readers see end-of-file.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end,pipe-leaked-writer,pipe-self-deadlock %t
// RUN: %run_example %s unlikely exit
// RUN: %run_example %s likely exit
// RUN: %run_example %s stmt-expr exit
// RUN: %run_example %s ret-nerrno exit
// RUN: %run_example %s cleanup-pair exit
// RUN: %run_example %s cleanup-pair-error exit
// RUN: %run_example %s cleanup-fd exit
// RUN: %run_example %s deep-member exit
// RUN: %run_example %s deep-index exit
// RUN: %run_example %s kids exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* systemd's src/basic/errno-util.h */
#define RET_NERRNO(expr)                                                       \
  ({                                                                           \
    int _r_ = (expr);                                                          \
    _r_ < 0 ? -errno : _r_;                                                    \
  })

/* systemd's closep() and close_pairp(), and their _cleanup_ macros. */
static void closep(int *fd)
{
  if (*fd >= 0)
    close(*fd);
}

static void close_pairp(int (*p)[2])
{
  if ((*p)[0] >= 0)
    close((*p)[0]);
  if ((*p)[1] >= 0)
    close((*p)[1]);
}

#define _cleanup_close_ __attribute__((cleanup(closep)))
#define _cleanup_close_pair_ __attribute__((cleanup(close_pairp)))

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return n < 0 ? -1 : total;
}

/* Returns the read end of a pipe holding msg, or -1. */
static int feed_unlikely(const char *msg)
{
  int p[2];

  if (unlikely(pipe(p) < 0))
    return -1;
  if (unlikely(write(p[1], msg, strlen(msg)) < 0)) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  return p[0];
}

static int feed_likely(const char *msg)
{
  int p[2];

  if (likely(pipe(p) == 0)) {
    write(p[1], msg, strlen(msg));
    close(p[1]);
    return p[0];
  }
  return -1;
}

static int feed_stmt_expr(const char *msg)
{
  int p[2];

  if (({ int r = pipe(p); r; }) < 0)
    return -1;
  write(p[1], msg, strlen(msg));
  close(p[1]);
  return p[0];
}

static int feed_ret_nerrno(const char *msg)
{
  int p[2];
  int r = RET_NERRNO(pipe(p));

  if (r < 0)
    return r;
  write(p[1], msg, strlen(msg));
  close(p[1]);
  return p[0];
}

/* The pair is closed by close_pairp() on every return. */
static long count_with_cleanup_pair(const char *msg, int fail)
{
  _cleanup_close_pair_ int p[2] = {-1, -1};

  if (pipe(p) < 0)
    return -errno;
  if (fail)
    return -EIO;
  if (write(p[1], msg, strlen(msg)) < 0)
    return -errno;
  close(p[1]);
  p[1] = -1;
  return drain(p[0]);
}

static long count_with_cleanup_fd(const char *msg)
{
  _cleanup_close_ int w = -1;
  int p[2];

  if (pipe(p) < 0)
    return -errno;
  w = p[1];
  if (write(w, msg, strlen(msg)) < 0) {
    close(p[0]);
    return -errno;
  }
  close(w);
  w = -1;
  long n = drain(p[0]);
  close(p[0]);
  return n;
}

struct end_pair {
  int fd[2];
};
struct proc_io {
  struct end_pair in, out;
};

/* Both pipes live three selectors deep: o.in.fd[1]. */
static long deep_member(const char *msg)
{
  struct proc_io o;

  if (pipe(o.in.fd) < 0)
    return -1;
  if (pipe(o.out.fd) < 0) {
    close(o.in.fd[0]);
    close(o.in.fd[1]);
    return -1;
  }
  write(o.in.fd[1], msg, strlen(msg));
  close(o.in.fd[1]);
  write(o.out.fd[1], msg, strlen(msg));
  close(o.out.fd[1]);
  long n = drain(o.in.fd[0]) + drain(o.out.fd[0]);
  close(o.in.fd[0]);
  close(o.out.fd[0]);
  return n;
}

struct slot {
  struct {
    int c[2];
  } b;
};

static long deep_index(const char *msg)
{
  struct slot a[2];

  if (pipe(a[1].b.c) < 0)
    return -1;
  write(a[1].b.c[1], msg, strlen(msg));
  close(a[1].b.c[1]);
  long n = drain(a[1].b.c[0]);
  close(a[1].b.c[0]);
  return n;
}

struct kid {
  pid_t pid;
  int fd[2];
};

/* One pipe per child, each child writes msg; the parent reads them all. */
static long run_kids(const char *msg)
{
  struct kid kids[3];
  int i, started = 0;
  long total = 0;

  for (i = 0; i < 3; i++) {
    if (pipe(kids[i].fd) < 0)
      goto fail;
    kids[i].pid = fork();
    if (kids[i].pid < 0) {
      close(kids[i].fd[0]);
      close(kids[i].fd[1]);
      goto fail;
    }
    if (kids[i].pid == 0) {
      close(kids[i].fd[0]);
      write(kids[i].fd[1], msg, strlen(msg));
      _exit(0);
    }
    close(kids[i].fd[1]);
    started++;
  }
  for (i = 0; i < started; i++) {
    total += drain(kids[i].fd[0]);
    close(kids[i].fd[0]);
    waitpid(kids[i].pid, NULL, 0);
  }
  return total;
fail:
  for (i = 0; i < started; i++) {
    close(kids[i].fd[0]);
    waitpid(kids[i].pid, NULL, 0);
  }
  return -1;
}

static int drain_fd(int fd)
{
  if (fd < 0)
    return 1;
  long n = drain(fd);
  close(fd);
  return n == 5 ? 0 : 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "unlikely") == 0)
    return drain_fd(feed_unlikely("hello"));
  if (strcmp(s, "likely") == 0)
    return drain_fd(feed_likely("hello"));
  if (strcmp(s, "stmt-expr") == 0)
    return drain_fd(feed_stmt_expr("hello"));
  if (strcmp(s, "ret-nerrno") == 0)
    return drain_fd(feed_ret_nerrno("hello"));
  if (strcmp(s, "cleanup-pair") == 0)
    return count_with_cleanup_pair("hello", 0) == 5 ? 0 : 1;
  if (strcmp(s, "cleanup-pair-error") == 0)
    return count_with_cleanup_pair("hello", 1) == -EIO ? 0 : 1;
  if (strcmp(s, "cleanup-fd") == 0)
    return count_with_cleanup_fd("hello") == 5 ? 0 : 1;
  if (strcmp(s, "deep-member") == 0)
    return deep_member("hello") == 10 ? 0 : 1;
  if (strcmp(s, "deep-index") == 0)
    return deep_index("hello") == 5 ? 0 : 1;
  if (strcmp(s, "kids") == 0)
    return run_kids("hello") == 15 ? 0 : 1;
  return 2;
}

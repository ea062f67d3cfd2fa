// Findings of pipe-unclosed-write-end through helpers defined in the same
// file: a pipe made by a wrapper (depth 1, 2 and 3), into an int[2]
// parameter, two out-parameters, a struct through a pointer, or returned
// with the other end through an out-parameter. Every finding's scenario
// takes the reported path and reads the pipe to the end, which never comes
// (hang); the "-fixed" scenarios close the write end and terminate. A
// chain of five helpers is followed too (each helper is summarised once, at
// any depth). The near-misses (closed through a closer helper,
// kept in a global, closed by the helper on its own failure path, a helper
// whose result does not tell failure from success, a recursive helper)
// terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth1-fixed exit
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s out-params hang
// RUN: %run_example %s struct-fields hang
// RUN: %run_example %s struct-array hang
// RUN: %run_example %s returned hang
// RUN: %run_example %s depth5 hang
// RUN: %run_example %s closer exit
// RUN: %run_example %s closer-read-end exit
// RUN: %run_example %s global exit
// RUN: %run_example %s failure-closes exit
// RUN: %run_example %s untold exit
// RUN: %run_example %s recursive exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

static int make_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  return 0;
}

static int make_pipe_2(int fds[2]) { return make_pipe(fds); }

static int make_pipe_3(int *fds)
{
  if (make_pipe_2(fds) != 0)
    return -1;
  return 0;
}

static int make_pipe_4(int *fds) { return make_pipe_3(fds); }

static int make_pipe_5(int *fds) { return make_pipe_4(fds); }

static int open_pair(int *rfd, int *wfd)
{
  int p[2];

  if (pipe(p) == -1)
    return -1;
  *rfd = p[0];
  *wfd = p[1];
  return 0;
}

struct chan {
  int rd;
  int wr;
};

static int chan_open(struct chan *c)
{
  int p[2];

  if (pipe(p))
    return -1;
  c->rd = p[0];
  c->wr = p[1];
  return 0;
}

struct job {
  pid_t pid;
  int fds[2];
};

static int job_pipe(struct job *j)
{
  j->pid = -1;
  return pipe(j->fds);
}

/* Returns the read end, the write end in *wfd; -1 on failure. */
static int reader_with(int *wfd)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *wfd = p[1];
  return p[0];
}

static void close_fd(int fd) { close(fd); }

static void chan_close(struct chan *c)
{
  close(c->rd);
  close(c->wr);
}

/* Makes a pipe with a non-blocking read end; on any failure nothing stays
 * open. */
static int make_nonblock_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

/* Its caller cannot tell whether a pipe was made. */
static void try_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    fds[0] = fds[1] = -1;
}

static int retry_pipe(int fds[2], int tries)
{
  if (pipe(fds) == 0)
    return 0;
  if (tries <= 1)
    return -1;
  return retry_pipe(fds, tries - 1);
}

static int g_log_fd = -1;

static ssize_t drain(int fd)
{
  char buf[256];
  ssize_t n, total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* ---- findings ----------------------------------------------------------- */

ssize_t capture_1(int fixed)
{
  int fds[2];
  ssize_t total;

  if (make_pipe(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fixed)
    close(fds[1]);
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_1' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

ssize_t capture_2(void)
{
  int fds[2];
  ssize_t total;

  if (make_pipe_2(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_2' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

ssize_t capture_3(void)
{
  int fds[2];
  ssize_t total;

  if (make_pipe_3(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_3' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

ssize_t capture_out_params(void)
{
  int r, w;
  ssize_t total;

  if (open_pair(&r, &w))
    return -1;
  if (fork() == 0) {
    (void)write(w, "hello\n", 6);
    _exit(0);
  }
  total = drain(r);
  close(r);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'w' of the pipe is still open when 'capture_out_params' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

ssize_t capture_struct_fields(void)
{
  struct chan c;
  ssize_t total;

  if (chan_open(&c) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(c.wr, "hello\n", 6);
    _exit(0);
  }
  total = drain(c.rd);
  close(c.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'c.wr' of the pipe is still open when 'capture_struct_fields' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

ssize_t capture_struct_array(void)
{
  struct job j;
  ssize_t total;

  if (job_pipe(&j) != 0)
    return -1;
  j.pid = fork();
  if (j.pid == 0) {
    (void)write(j.fds[1], "hello\n", 6);
    _exit(0);
  }
  total = drain(j.fds[0]);
  close(j.fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'j.fds[1]' of the pipe is still open when 'capture_struct_array' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
}

ssize_t capture_returned(void)
{
  int w;
  ssize_t total;
  int r = reader_with(&w);

  if (r < 0)
    return -1;
  if (fork() == 0) {
    (void)write(w, "hello\n", 6);
    _exit(0);
  }
  total = drain(r);
  close(r);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'w' of the pipe is still open when 'capture_returned' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-12]]:11: note: pipe created here
}

/* The same bug five helpers deep. */
ssize_t capture_5(void)
{
  int fds[2];
  ssize_t total;

  if (make_pipe_5(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_5' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

/* ---- near-misses -------------------------------------------------------- */

ssize_t capture_closer(void)
{
  struct chan c;
  ssize_t total;

  if (chan_open(&c) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(c.wr, "hello\n", 6);
    _exit(0);
  }
  close_fd(c.wr);
  total = drain(c.rd);
  chan_close(&c);
  return total;
}

/* The read end is closed by a helper: no reader is left to wait for the
 * write end, but it leaks, once per call. */
int closer_read_end(void)
{
  int fds[2];

  if (make_pipe(fds) < 0)
    return -1;
  close_fd(fds[0]);
  return write(fds[1], "x", 1) == -1 ? 0 : 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'closer_read_end' leaks the write end 'fds[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
}

int keep_log_end(void)
{
  int fds[2];

  if (make_pipe(fds) < 0)
    return -1;
  g_log_fd = fds[1];
  close(fds[0]);
  return 0;
}

ssize_t capture_nonblock(void)
{
  int fds[2];
  ssize_t total;

  if (make_nonblock_pipe(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  close(fds[1]);
  wait(NULL);
  total = drain(fds[0]);
  close(fds[0]);
  return total;
}

int untold(void)
{
  int fds[2];

  try_pipe(fds);
  if (fds[0] < 0)
    return -1;
  close(fds[0]);
  return 0;
}

int recursive(void)
{
  int fds[2];

  if (retry_pipe(fds, 3) < 0)
    return -1;
  close(fds[0]);
  return 0;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "depth1") == 0)
    return capture_1(0) != 6;
  if (strcmp(s, "depth1-fixed") == 0)
    return capture_1(1) != 6;
  if (strcmp(s, "depth2") == 0)
    return capture_2() != 6;
  if (strcmp(s, "depth3") == 0)
    return capture_3() != 6;
  if (strcmp(s, "out-params") == 0)
    return capture_out_params() != 6;
  if (strcmp(s, "struct-fields") == 0)
    return capture_struct_fields() != 6;
  if (strcmp(s, "struct-array") == 0)
    return capture_struct_array() != 6;
  if (strcmp(s, "returned") == 0)
    return capture_returned() != 6;
  if (strcmp(s, "depth5") == 0)
    return capture_5() != 6;
  if (strcmp(s, "closer") == 0)
    return capture_closer() != 6;
  if (strcmp(s, "closer-read-end") == 0) {
    /* The read end is closed: the write fails with EPIPE, and each call
     * leaves its write end open. */
    int i, fd, before = 0, after = 0;
    signal(SIGPIPE, SIG_IGN);
    for (fd = 0; fd < 1024; fd++)
      before += fcntl(fd, F_GETFD) != -1;
    for (i = 0; i < 8; i++)
      if (closer_read_end() != 0)
        return 1;
    for (fd = 0; fd < 1024; fd++)
      after += fcntl(fd, F_GETFD) != -1;
    return after - before != 8;
  }
  if (strcmp(s, "global") == 0)
    return keep_log_end() != 0 || close(g_log_fd) != 0;
  if (strcmp(s, "failure-closes") == 0)
    return capture_nonblock() != 6;
  if (strcmp(s, "untold") == 0)
    return untold() != 0;
  if (strcmp(s, "recursive") == 0)
    return recursive() != 0;
  return 2;
}

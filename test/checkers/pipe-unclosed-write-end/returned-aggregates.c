// Findings of pipe-unclosed-write-end in C where a helper builds the struct
// it returns in the return statement itself (a compound literal
// `return (struct fdpair){fds[0], fds[1]};`), at depth one, two and three,
// and the caller keeps it in a variable or a copy of one. Failure is told by
// the members (`{-1, -1}`). Each finding's scenario forks a writer and reads
// the pipe to the end while the write end stays open (hang). The near-misses
// (the caller closes both, the failure tested first, the write end stored in
// a global) terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s depth3-copy hang
// RUN: %run_example %s closed exit
// RUN: %run_example %s failure-tested exit
// RUN: %run_example %s global exit

#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

struct fdpair {
  int rd;
  int wr;
};

static struct fdpair open_pipe(void)
{
  int fds[2];

  if (pipe(fds) < 0)
    return (struct fdpair){-1, -1};
  return (struct fdpair){fds[0], fds[1]};
}

static struct fdpair open_pipe_2(void) { return open_pipe(); }

static struct fdpair open_pipe_3(void)
{
  struct fdpair p = open_pipe_2();
  return p;
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

static void spawn_writer(int wr)
{
  if (fork() == 0) {
    (void)write(wr, "hello\n", 6);
    _exit(0);
  }
}

/* ---- findings ----------------------------------------------------------- */

ssize_t capture_1(void)
{
  struct fdpair p = open_pipe();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  spawn_writer(p.wr);
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_1' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:21: note: pipe created here
}

ssize_t capture_2(void)
{
  struct fdpair p = open_pipe_2();
  ssize_t total;

  if (p.wr < 0)
    return -1;
  spawn_writer(p.wr);
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_2' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:21: note: pipe created here
}

ssize_t capture_3_copy(void)
{
  struct fdpair p = open_pipe_3();
  struct fdpair q = p;
  ssize_t total;

  if (q.rd < 0)
    return -1;
  spawn_writer(q.wr);
  total = drain(q.rd);
  close(q.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_3_copy' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:21: note: pipe created here
}

/* ---- near-misses -------------------------------------------------------- */

ssize_t closed(void)
{
  struct fdpair p = open_pipe_3();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  spawn_writer(p.wr);
  close(p.wr);
  total = drain(p.rd);
  close(p.rd);
  return total;
}

/* {-1, -1} is tested before the ends are used. */
int failure_tested(void)
{
  struct fdpair p = open_pipe();

  if (p.wr == -1)
    return 1;
  close(p.rd);
  close(p.wr);
  return 0;
}

int global(void)
{
  struct fdpair p = open_pipe_2();

  if (p.rd < 0)
    return -1;
  g_log_fd = p.wr;
  close(p.rd);
  return 0;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "depth1") == 0)
    return capture_1() != 6;
  if (strcmp(s, "depth2") == 0)
    return capture_2() != 6;
  if (strcmp(s, "depth3-copy") == 0)
    return capture_3_copy() != 6;
  if (strcmp(s, "closed") == 0)
    return closed() != 6;
  if (strcmp(s, "failure-tested") == 0)
    return failure_tested();
  if (strcmp(s, "global") == 0) {
    int r = global();
    close(g_log_fd);
    return r;
  }
  return 2;
}

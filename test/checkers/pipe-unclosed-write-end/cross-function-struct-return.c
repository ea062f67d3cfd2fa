// Findings of pipe-unclosed-write-end in C where a helper returns the pipe
// in a struct by value, made directly (depth 1) or two and three calls down
// through helpers that fill a struct through a pointer; failure is told by
// the members (-1), not by a result code. Each finding's scenario reads the
// pipe to the end while the write end stays open (hang). The near-misses
// (the caller closes both, a helper closes the returned pair, the write end
// goes to a global) terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s assigned hang
// RUN: %run_example %s closed exit
// RUN: %run_example %s closer exit
// RUN: %run_example %s global exit

#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------ */

struct pipe_pair {
  int rd;
  int wr;
};

/* Both members -1 on failure. */
static struct pipe_pair make_pair(void)
{
  struct pipe_pair p;
  int f[2];

  if (pipe(f) < 0) {
    p.rd = p.wr = -1;
    return p;
  }
  p.rd = f[0];
  p.wr = f[1];
  return p;
}

static int pair_init(struct pipe_pair *p)
{
  int f[2];

  if (pipe(f) < 0)
    return -1;
  p->rd = f[0];
  p->wr = f[1];
  return 0;
}

static int pair_init_outer(struct pipe_pair *p) { return pair_init(p); }

static struct pipe_pair open_pair_2(void)
{
  struct pipe_pair p;

  if (pair_init(&p) < 0)
    p.rd = p.wr = -1;
  return p;
}

static struct pipe_pair open_pair_3(void)
{
  struct pipe_pair p;

  if (pair_init_outer(&p) < 0)
    p.rd = p.wr = -1;
  return p;
}

static void pair_close(struct pipe_pair *p)
{
  close(p->rd);
  close(p->wr);
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

ssize_t capture_1(void)
{
  struct pipe_pair p = make_pair();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_1' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-13]]:24: note: pipe created here
}

ssize_t capture_2(void)
{
  struct pipe_pair p = open_pair_2();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_2' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-13]]:24: note: pipe created here
}

ssize_t capture_3(void)
{
  struct pipe_pair p = open_pair_3();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_3' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-13]]:24: note: pipe created here
}

/* Assigned to a variable declared before. */
ssize_t capture_assigned(void)
{
  struct pipe_pair p;
  ssize_t total;

  p = make_pair();
  if (p.wr < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  total = drain(p.rd);
  close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_assigned' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
}

/* ---- near-misses -------------------------------------------------------- */

ssize_t closed(void)
{
  struct pipe_pair p = open_pair_3();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  close(p.wr);
  total = drain(p.rd);
  close(p.rd);
  return total;
}

ssize_t closer(void)
{
  struct pipe_pair p = make_pair();
  ssize_t total;

  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(p.wr, "hello\n", 6);
    _exit(0);
  }
  total = 6;
  pair_close(&p);
  return total;
}

int global(void)
{
  struct pipe_pair p = make_pair();

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
  if (strcmp(s, "depth3") == 0)
    return capture_3() != 6;
  if (strcmp(s, "assigned") == 0)
    return capture_assigned() != 6;
  if (strcmp(s, "closed") == 0)
    return closed() != 6;
  if (strcmp(s, "closer") == 0)
    return closer() != 6;
  if (strcmp(s, "global") == 0) {
    int r = global();
    close(g_log_fd);
    return r;
  }
  return 2;
}

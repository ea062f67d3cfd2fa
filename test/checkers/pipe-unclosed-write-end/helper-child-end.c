// pipe-unclosed-write-end for a helper that makes a pipe, forks a child
// whose standard output is its write end, and hands its caller both of the
// parent's ends through out-parameters (`start_seq(&rd, &wr, &pid)`), or
// one level further up through a struct (`open_listing(&l)`), without
// closing the write end in the parent. The caller reads the output to
// end-of-file and never sees it while the parent holds the write end
// (hang). The report goes to the helper, where the close belongs. The
// near-misses terminate and stay silent: the caller closes the write end
// before it reads; the helper closes its copy; the write end goes to a
// global that is closed later.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s outparams hang
// RUN: %run_example %s struct-depth2 hang
// RUN: %run_example %s caller-closes exit
// RUN: %run_example %s helper-closes exit
// RUN: %run_example %s global exit

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static long count_bytes(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Starts `seq 1 3` writing to a new pipe; both of the parent's ends and
 * the pid through the out-parameters. */
static int start_seq(int *rd, int *wr, pid_t *pid)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *pid = fork();
  if (*pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (*pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("seq", "seq", "1", "3", (char *)NULL);
    _exit(127);
  }
  *rd = p[0];
  *wr = p[1];
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: write end '*wr' of the pipe that 'start_seq' makes its child's standard output is still open in the parent when 'start_seq' returns here, and 'outparams' does not close it either; readers of the pipe never see end-of-file while the parent holds it; close '*wr' in the parent right after fork() [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  return 0;
}

long outparams(void)
{
  int rd, wr;
  pid_t pid;
  long n;

  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: 'outparams' gets it here as 'wr'
  if (start_seq(&rd, &wr, &pid) < 0)
    return -1;
  n = count_bytes(rd);
  close(rd);
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: and returns here with 'wr' still open
  return n;
}

/* Near-miss: the caller closes the write end before it reads. */
long caller_closes(void)
{
  int rd, wr;
  pid_t pid;
  long n;

  if (start_seq(&rd, &wr, &pid) < 0)
    return -1;
  close(wr);
  n = count_bytes(rd);
  close(rd);
  waitpid(pid, NULL, 0);
  return n;
}

struct listing {
  pid_t pid;
  int fds[2]; /* the parent's read and write ends */
};

/* Two levels: the pipe is made and the child forked one call down. */
static int fill_listing(struct listing *l)
{
  if (pipe(l->fds) < 0)
    return -1;
  l->pid = fork();
  if (l->pid < 0) {
    close(l->fds[0]);
    close(l->fds[1]);
    return -1;
  }
  if (l->pid == 0) {
    dup2(l->fds[1], STDOUT_FILENO);
    close(l->fds[0]);
    close(l->fds[1]);
    execlp("seq", "seq", "1", "5", (char *)NULL);
    _exit(127);
  }
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: write end 'l->fds[1]' of the pipe that 'fill_listing' makes its child's standard output is still open in the parent when 'fill_listing' returns here, and 'struct_depth2' does not close it either; readers of the pipe never see end-of-file while the parent holds it; close 'l->fds[1]' in the parent right after fork() [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  return 0;
}

static int open_listing(struct listing *l)
{
  return fill_listing(l);
}

long struct_depth2(void)
{
  struct listing l;
  long n;

  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: 'struct_depth2' gets it here as 'l.fds[1]'
  if (open_listing(&l) < 0)
    return -1;
  n = count_bytes(l.fds[0]);
  close(l.fds[0]);
  waitpid(l.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: and returns here with 'l.fds[1]' still open
  return n;
}

/* Near-miss: the helper closes its copy of the write end. */
static int start_seq_closed(int *rd, pid_t *pid)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *pid = fork();
  if (*pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (*pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("seq", "seq", "1", "3", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  *rd = p[0];
  return 0;
}

long helper_closes(void)
{
  int rd;
  pid_t pid;
  long n;

  if (start_seq_closed(&rd, &pid) < 0)
    return -1;
  n = count_bytes(rd);
  close(rd);
  waitpid(pid, NULL, 0);
  return n;
}

/* Near-miss: the write end goes to a global, closed before the read. */
static int g_wr = -1;

static int start_seq_global(int *rd, pid_t *pid)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *pid = fork();
  if (*pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (*pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("seq", "seq", "1", "3", (char *)NULL);
    _exit(127);
  }
  *rd = p[0];
  g_wr = p[1];
  return 0;
}

static void close_global(void)
{
  close(g_wr);
  g_wr = -1;
}

long global(void)
{
  int rd;
  pid_t pid;
  long n;

  if (start_seq_global(&rd, &pid) < 0)
    return -1;
  close_global();
  n = count_bytes(rd);
  close(rd);
  waitpid(pid, NULL, 0);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "outparams") == 0)
    return outparams() != 6;
  if (strcmp(s, "struct-depth2") == 0)
    return struct_depth2() != 10;
  if (strcmp(s, "caller-closes") == 0)
    return caller_closes() != 6;
  if (strcmp(s, "helper-closes") == 0)
    return helper_closes() != 6;
  if (strcmp(s, "global") == 0)
    return global() != 6;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-leaked-writer when the helper that forks the writer child also
// makes its pipe and gives the caller only the read end and the pid: in a
// record it is given (`start_writer(&w)`), or in a record it returns by
// value (`struct writer w = spawn_writer();`). The child writes 1 MiB;
// the caller reads a 4-byte header and, when it is wrong, waits for the
// child before it closes the read end: the child is blocked on the full
// pipe (64 KiB), so the wait never returns. The near-miss closes the read
// end first (the child's next write fails with EPIPE) and then waits.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s pointer-wait-first hang
// RUN: %run_example %s returned-wait-first hang
// RUN: %run_example %s close-then-wait exit

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct writer {
  int rd;
  pid_t pid;
};

/* The child's code: 1 MiB of 'x', far more than the pipe holds. */
static int write_mib(int fd)
{
  char block[4096];

  memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      return -1;
  return 0;
}

/* Makes the pipe and forks the writer; 0, or -1. */
static int start_writer(struct writer *w)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  w->pid = fork();
  if (w->pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (w->pid == 0) {
    close(p[0]);
    _exit(write_mib(p[1]) < 0);
  }
  close(p[1]);
  w->rd = p[0];
  return 0;
}

static int header_ok(int fd)
{
  char hdr[4];

  return read(fd, hdr, sizeof hdr) == sizeof hdr &&
         memcmp(hdr, "PK\3\4", 4) == 0;
}

int pointer_wait_first(void)
{
  struct writer w;

  if (start_writer(&w) < 0)
    return -1;
  if (!header_ok(w.rd)) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'w.pid' is waited for here while the read end 'w.rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'w.rd' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'w.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    waitpid(w.pid, NULL, 0);
    close(w.rd);
    return -1;
  }
  close(w.rd);
  waitpid(w.pid, NULL, 0);
  return 0;
}

/* The same, with the record returned by value; pid -1 when it failed. */
static struct writer spawn_writer(void)
{
  struct writer w = {-1, -1};
  int p[2];

  if (pipe(p) < 0)
    return w;
  w.pid = fork();
  if (w.pid == 0) {
    close(p[0]);
    _exit(write_mib(p[1]) < 0);
  }
  close(p[1]);
  if (w.pid < 0) {
    close(p[0]);
    return w;
  }
  w.rd = p[0];
  return w;
}

int returned_wait_first(void)
{
  struct writer w = spawn_writer();

  if (w.pid < 0)
    return -1;
  if (!header_ok(w.rd)) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'w.pid' is waited for here while the read end 'w.rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'w.rd' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-6]]:21: note: child process 'w.pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:21: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    waitpid(w.pid, NULL, 0);
    close(w.rd);
    return -1;
  }
  close(w.rd);
  waitpid(w.pid, NULL, 0);
  return 0;
}

/* Near-miss: the read end is closed before the wait. */
int close_then_wait(void)
{
  struct writer w = spawn_writer();

  if (w.pid < 0)
    return -1;
  if (!header_ok(w.rd)) {
    close(w.rd);
    waitpid(w.pid, NULL, 0);
    return -1;
  }
  close(w.rd);
  waitpid(w.pid, NULL, 0);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "pointer-wait-first") == 0)
    return pointer_wait_first() != -1;
  if (strcmp(s, "returned-wait-first") == 0)
    return returned_wait_first() != -1;
  if (strcmp(s, "close-then-wait") == 0)
    return close_then_wait() != -1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

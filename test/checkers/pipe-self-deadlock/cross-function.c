// Findings of pipe-self-deadlock through helpers defined in the same file:
// the pipe or socket pair is made by a wrapper, and this thread then reads
// it with nobody to write. Each finding's scenario hangs; the near-misses
// (written first, a helper that primes the pipe before returning it, the
// reader's write end closed by a helper) terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s probe hang
// RUN: %run_example %s socket-probe hang
// RUN: %run_example %s capture hang
// RUN: %run_example %s written-first exit
// RUN: %run_example %s primed exit
// RUN: %run_example %s closer exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/socket.h>
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

static int make_pipe_outer(int fds[2]) { return make_pipe(fds); }

static int make_socketpair(int sv[2])
{
  return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}

/* Returns a pipe that already holds one byte. */
static int primed_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  if (write(fds[1], "p", 1) != 1) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

static void close_fd(int fd) { close(fd); }

/* ---- findings ----------------------------------------------------------- */

/* Reads one byte back from a pipe nobody has written to. */
int probe(void)
{
  int fds[2];
  char c = 0;

  if (make_pipe_outer(fds) < 0)
    return -1;
  if (read(fds[0], &c, 1) != 1)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
    c = 0;
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* The probe goes to sv[1]; reading it back from sv[0] waits forever. */
int socket_probe(void)
{
  int sv[2];
  char c = 0;

  if (make_socketpair(sv) < 0)
    return 0;
  send(sv[0], "?", 1, 0);
  recv(sv[0], &c, 1, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'sv[0]' blocks forever: this thread holds the only write end 'sv[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: socket pair created here
  close(sv[0]);
  close(sv[1]);
  return c == '?';
}

/* The child's output, read to end-of-file while the parent still holds the
 * write end. */
ssize_t capture(void)
{
  int fds[2];
  char buf[256];
  ssize_t n, total = 0;
  pid_t pid;

  if (make_pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
    total += n;
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return total;
}

/* ---- near-misses -------------------------------------------------------- */

int written_first(void)
{
  int fds[2];
  char c = 0;

  if (make_pipe(fds) < 0)
    return -1;
  if (write(fds[1], "w", 1) != 1)
    c = 0;
  if (read(fds[0], &c, 1) != 1)
    c = 0;
  close(fds[0]);
  close(fds[1]);
  return c;
}

int primed(void)
{
  int fds[2];
  char c = 0;

  if (primed_pipe(fds) < 0)
    return -1;
  if (read(fds[0], &c, 1) != 1)
    c = 0;
  close(fds[0]);
  close(fds[1]);
  return c;
}

ssize_t capture_closed(void)
{
  int fds[2];
  char buf[256];
  ssize_t n, total = 0;
  pid_t pid;

  if (make_pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  close_fd(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "probe") == 0)
    return probe() != 0;
  if (strcmp(s, "socket-probe") == 0)
    return !socket_probe();
  if (strcmp(s, "capture") == 0)
    return capture() != 6;
  if (strcmp(s, "written-first") == 0)
    return written_first() != 'w';
  if (strcmp(s, "primed") == 0)
    return primed() != 'p';
  if (strcmp(s, "closer") == 0)
    return capture_closed() != 6;
  return 2;
}

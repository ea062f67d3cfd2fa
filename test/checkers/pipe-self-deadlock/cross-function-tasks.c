// pipe-self-deadlock: a wait for a child that reads the pipe until
// end-of-file, while this process still holds the pipe's write end. The
// child's read never sees end-of-file, the child never exits, and the wait
// never returns. The child's pid is kept in a record (`ch.pid`, through a
// pointer `cp->pid`) or an array (`pids[1]`), and waited for directly or
// by a helper two calls down (`finish_child(&ch)`). The near-misses close
// the write end before the wait and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s record-wait hang
// RUN: %run_example %s helper-wait hang
// RUN: %run_example %s array-wait hang
// RUN: %run_example %s record-wait-closed exit
// RUN: %run_example %s helper-wait-closed exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
  pid_t pid;
  int status;
};

/* Counts the bytes of its standard input, as `wc -c` does. */
static long count_until_eof(int fd)
{
  char buf[4096];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int reap(struct child *cp)
{
  if (waitpid(cp->pid, &cp->status, 0) < 0)
    return -1;
  return WIFEXITED(cp->status) ? WEXITSTATUS(cp->status) : -1;
}

static int finish_child(struct child *cp)
{
  return reap(cp);
}

/* Sends a message to a counting child and waits for its verdict. */
int send_and_wait(int close_first)
{
  int fds[2];
  struct child ch;

  if (pipe(fds) < 0)
    return -1;
  ch.pid = fork();
  if (ch.pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (ch.pid == 0) {
    close(fds[1]);
    _exit(count_until_eof(fds[0]) == 5 ? 0 : 1);
  }
  close(fds[0]);
  write(fds[1], "hello", 5);
  if (close_first)
    close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: child process 'ch.pid' is waited for here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so child process 'ch.pid' never finishes and this wait never returns; close 'fds[1]' before waiting [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:11: note: child process 'ch.pid' reads 'fds[0]' until end-of-file here
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here; its write end 'fds[1]' is still open at the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the false branch
  waitpid(ch.pid, &ch.status, 0);
  if (!close_first)
    close(fds[1]);
  return WIFEXITED(ch.status) ? WEXITSTATUS(ch.status) : -1;
}

/* The same, with the child in a record reached through a pointer and
 * waited for by a helper. */
int send_and_finish(int close_first)
{
  int fds[2];
  struct child rec;
  struct child *cp = &rec;
  int rc;

  if (pipe(fds) < 0)
    return -1;
  cp->pid = fork();
  if (cp->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cp->pid == 0) {
    close(fds[1]);
    _exit(count_until_eof(fds[0]) == 5 ? 0 : 1);
  }
  close(fds[0]);
  write(fds[1], "hello", 5);
  if (close_first)
    close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:8: warning: child process 'cp->pid' is waited for here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so child process 'cp->pid' never finishes and this wait never returns; close 'fds[1]' before waiting [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:11: note: child process 'cp->pid' reads 'fds[0]' until end-of-file here
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here; its write end 'fds[1]' is still open at the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the false branch
  rc = finish_child(cp);
  if (!close_first)
    close(fds[1]);
  return rc;
}

/* Two children; the second counts. */
int send_to_second(void)
{
  int fds[2];
  pid_t pids[2];
  int st;

  if (pipe(fds) < 0)
    return -1;
  pids[0] = -1;
  pids[1] = fork();
  if (pids[1] < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pids[1] == 0) {
    close(fds[1]);
    _exit(count_until_eof(fds[0]) == 5 ? 0 : 1);
  }
  close(fds[0]);
  write(fds[1], "hello", 5);
  // CHECK-MESSAGES: :[[@LINE+3]]:3: warning: child process 'pids[1]' is waited for here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so child process 'pids[1]' never finishes and this wait never returns; close 'fds[1]' before waiting [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:11: note: child process 'pids[1]' reads 'fds[0]' until end-of-file here
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here; its write end 'fds[1]' is still open at the wait
  waitpid(pids[1], &st, 0);
  close(fds[1]);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "record-wait") == 0)
    return send_and_wait(0) != 0;
  if (strcmp(s, "record-wait-closed") == 0)
    return send_and_wait(1) != 0;
  if (strcmp(s, "helper-wait") == 0)
    return send_and_finish(0) != 0;
  if (strcmp(s, "helper-wait-closed") == 0)
    return send_and_finish(1) != 0;
  if (strcmp(s, "array-wait") == 0)
    return send_to_second() != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain through helpers that return the child's pid: the
// most common way C code starts a child (`pid_t start_x(...) { pid_t pid =
// fork(); ...; return pid; }`). The caller waits for the child before
// reading its output; a child that writes more than the pipe holds blocks
// and never exits (hang). Shapes: the helper at depth 1, 2 (`return
// start_seq(...);`) and 3 (through a local variable); a helper that also
// makes the pipe and gives the read end back through an out-parameter.
// The near-misses read the output first, or close the read end without
// reading it: they finish and stay silent.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s out-param hang
// RUN: %run_example %s read-first exit
// RUN: %run_example %s out-param-read-first exit

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* Starts `seq 1 LAST` writing into out[1]; the child's pid, or -1. */
static pid_t start_seq(int out[2], const char *last)
{
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static pid_t spawn_seq(int out[2], const char *last)
{
  return start_seq(out, last);
}

static pid_t run_seq(int out[2], const char *last)
{
  pid_t pid = spawn_seq(out, last);
  return pid;
}

/* Makes the pipe and starts the child; its output's read end in *rfd. */
static pid_t popen_seq(int *rfd, const char *last)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = start_seq(p, last);
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    return -1;
  }
  *rfd = p[0];
  return pid;
}

static int exited_ok(int status)
{
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

long depth1(const char *last)
{
  int out[2], status;
  long got;

  if (pipe(out) < 0)
    return -1;
  pid_t pid = start_seq(out, last);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  if (waitpid(pid, &status, 0) < 0 || !exited_ok(status)) {
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: waitpid() waits for child process 'pid' before its output pipe 'out[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :83:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :81:7: note: pipe created here
  // CHECK-MESSAGES: :97:9: note: 'out[0]' is read only here, after the wait
    close(out[0]);
    return -1;
  }
  got = drain(out[0]);
  close(out[0]);
  return got;
}

long depth2(const char *last)
{
  int out[2], status;
  long got;

  if (pipe(out) < 0)
    return -1;
  pid_t pid = spawn_seq(out, last);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  waitpid(pid, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out[0]' is read to the end{{.*}}[pipe-wait-before-drain]
  // CHECK-MESSAGES: :109:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :107:7: note: pipe created here
  // CHECK-MESSAGES: :120:9: note: 'out[0]' is read only here, after the wait
  got = drain(out[0]);
  close(out[0]);
  return exited_ok(status) ? got : -1;
}

long depth3(const char *last)
{
  int out[2], status;
  long got;

  if (pipe(out) < 0)
    return -1;
  pid_t pid = run_seq(out, last);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  waitpid(pid, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out[0]' is read to the end{{.*}}[pipe-wait-before-drain]
  // CHECK-MESSAGES: :132:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :130:7: note: pipe created here
  // CHECK-MESSAGES: :143:9: note: 'out[0]' is read only here, after the wait
  got = drain(out[0]);
  close(out[0]);
  return exited_ok(status) ? got : -1;
}

long out_param(const char *last)
{
  int fd, status;
  long got;
  pid_t pid = popen_seq(&fd, last);

  if (pid < 0)
    return -1;
  waitpid(pid, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'fd' is read to the end{{.*}}[pipe-wait-before-drain]
  // CHECK-MESSAGES: :152:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :152:15: note: pipe created here
  // CHECK-MESSAGES: :161:9: note: 'fd' is read only here, after the wait
  got = drain(fd);
  close(fd);
  return exited_ok(status) ? got : -1;
}

/* Near-misses: the output is read to the end before the wait. */
long read_first(const char *last)
{
  int out[2], status;
  long got;

  if (pipe(out) < 0)
    return -1;
  pid_t pid = run_seq(out, last);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  got = drain(out[0]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !exited_ok(status))
    return -1;
  return got;
}

long out_param_read_first(const char *last)
{
  int fd, status;
  long got;
  pid_t pid = popen_seq(&fd, last);

  if (pid < 0)
    return -1;
  got = drain(fd);
  close(fd);
  if (waitpid(pid, &status, 0) < 0 || !exited_ok(status))
    return -1;
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  const char *last = "200000"; /* about 1.3 MB of output */
  long got;

  if (strcmp(s, "depth1") == 0)
    got = depth1(last);
  else if (strcmp(s, "depth2") == 0)
    got = depth2(last);
  else if (strcmp(s, "depth3") == 0)
    got = depth3(last);
  else if (strcmp(s, "out-param") == 0)
    got = out_param(last);
  else if (strcmp(s, "read-first") == 0)
    got = read_first(last);
  else if (strcmp(s, "out-param-read-first") == 0)
    got = out_param_read_first(last);
  else {
    fprintf(stderr, "unknown scenario '%s'\n", s);
    return 2;
  }
  return got > 65536 ? 0 : 1;
}

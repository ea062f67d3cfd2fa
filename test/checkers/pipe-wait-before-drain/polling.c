// pipe-wait-before-drain: a waitpid(pid, &st, WNOHANG) polling loop whose
// only way out is what waitpid() returns (the child's exit) waits as long
// as a blocking waitpid(): with the output pipe read only afterwards, a
// child that writes more than the pipe holds never exits (hang). Three
// shapes: the wait in the loop condition, in a for (;;) body leaving on its
// result, and in a do/while on its result. The near-misses poll but also
// read the pipe in the loop, or give up after a number of tries: they
// finish and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s poll-cond hang
// RUN: %run_example %s poll-body hang
// RUN: %run_example %s poll-do hang
// RUN: %run_example %s poll-cond-ok exit
// RUN: %run_example %s poll-reading exit
// RUN: %run_example %s poll-bounded exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

long poll_cond(const char *bytes)
{
  int p[2], status;
  pid_t pid;
  long got;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("head", "head", "-c", bytes, "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while (waitpid(pid, &status, WNOHANG) == 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end{{.*}}[pipe-wait-before-drain]
  // CHECK-MESSAGES: :39:9: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :37:7: note: pipe created here
  // CHECK-MESSAGES: :60:9: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :40:7: note: taking the false branch
    usleep(1000);
  got = drain(p[0]);
  close(p[0]);
  return got;
}

long poll_body(const char *bytes)
{
  int p[2], status;
  pid_t pid, r;
  long got;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("head", "head", "-c", bytes, "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  for (;;) {
    r = waitpid(pid, &status, WNOHANG);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end{{.*}}[pipe-wait-before-drain]
    // CHECK-MESSAGES: :73:9: note: child process 'pid' starts here{{.*}}
    // CHECK-MESSAGES: :71:7: note: pipe created here
    // CHECK-MESSAGES: :100:9: note: 'p[0]' is read only here, after the wait
    // CHECK-MESSAGES: :74:7: note: taking the false branch
    if (r != 0)
      break;
    usleep(1000);
  }
  if (r < 0)
    status = 0;
  got = drain(p[0]);
  close(p[0]);
  return got;
}

long poll_do(const char *bytes)
{
  int p[2];
  pid_t pid;
  long got;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("head", "head", "-c", bytes, "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  {
    int status = 0;
    pid_t r;
    do {
      r = waitpid(pid, &status, WNOHANG);
      // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end{{.*}}[pipe-wait-before-drain]
      // CHECK-MESSAGES: :113:9: note: child process 'pid' starts here{{.*}}
      // CHECK-MESSAGES: :111:7: note: pipe created here
      // CHECK-MESSAGES: :141:9: note: 'p[0]' is read only here, after the wait
      // CHECK-MESSAGES: :114:7: note: taking the false branch
      if (r == 0)
        usleep(1000);
    } while (r == 0);
  }
  got = drain(p[0]);
  close(p[0]);
  return got;
}

/* ---- near-misses -------------------------------------------------------- */

/* Reads the output while polling. */
long poll_reading(const char *bytes)
{
  int p[2], status;
  pid_t pid;
  long got = 0;
  char buf[4096];
  ssize_t n;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("head", "head", "-c", bytes, "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    while ((n = read(p[0], buf, sizeof buf)) > 0)
      got += n;
    usleep(1000);
  }
  fcntl(p[0], F_SETFL, 0);
  got += drain(p[0]);
  close(p[0]);
  return got;
}

/* Gives up waiting after a few tries, then reads the output. */
long poll_bounded(const char *bytes)
{
  int p[2], status, tries;
  pid_t pid;
  long got;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("head", "head", "-c", bytes, "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  for (tries = 0; tries < 10; tries++) {
    if (waitpid(pid, &status, WNOHANG) != 0)
      break;
    usleep(1000);
  }
  got = drain(p[0]);
  close(p[0]);
  waitpid(pid, &status, 0);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  const char *big = "200000";

  if (strcmp(s, "poll-cond") == 0)
    return poll_cond(big) != 200000;
  if (strcmp(s, "poll-body") == 0)
    return poll_body(big) != 200000;
  if (strcmp(s, "poll-do") == 0)
    return poll_do(big) != 200000;
  if (strcmp(s, "poll-cond-ok") == 0)
    return poll_cond("100") != 100;
  if (strcmp(s, "poll-reading") == 0)
    return poll_reading(big) != 200000;
  if (strcmp(s, "poll-bounded") == 0)
    return poll_bounded(big) != 200000;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

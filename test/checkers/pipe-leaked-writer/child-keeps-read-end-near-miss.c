// Near misses of pipe-leaked-writer's writer child that keeps its own
// copy of the read end (child-keeps-read-end.c): each of these children
// finishes, and the check stays silent. A child that closes its copy
// before it writes gets EPIPE once the parent closes its own; a parent
// that reads the pipe to end-of-file lets the child write everything; a
// child that writes less than the pipe holds never blocks; a parent that
// kills the child before waiting does not wait for its writes.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s child-closes-first exit
// RUN: %run_example %s parent-drains exit
// RUN: %run_example %s small-child exit
// RUN: %run_example %s parent-kills exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* The child closes its copy of the read end first: the parent's close
 * leaves the pipe without a reader, and the child's write fails. */
int closes_first(char want)
{
  int p[2];
  pid_t pid;
  char c;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    write_filled(p[1], 'G', 'i', MIB);
    _exit(0);
  }
  close(p[1]);
  if (read_full(p[0], &c, 1) != 1 || c != want) {
    close(p[0]);
    waitpid(pid, NULL, 0);
    return 0;
  }
  drain(p[0]);
  close(p[0]);
  waitpid(pid, NULL, 0);
  return 1;
}

/* The child keeps its copy, but the parent reads everything first. */
long reads_everything(void)
{
  int p[2];
  pid_t pid;
  long n;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    write_filled(p[1], 'a', 'a', MIB);
    _exit(0);
  }
  close(p[1]);
  n = drain(p[0]);
  close(p[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* The child keeps its copy but writes 100 bytes: the pipe holds them. */
int small_child(void)
{
  int p[2];
  pid_t pid;
  char c;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    write_filled(p[1], 's', 's', 100);
    _exit(0);
  }
  close(p[1]);
  c = 0;
  read_full(p[0], &c, 1);
  close(p[0]);
  waitpid(pid, NULL, 0);
  return c == 's';
}

/* The child keeps its copy; the parent kills it before it waits. */
int kills_child(void)
{
  int p[2];
  pid_t pid;
  char c;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    write_filled(p[1], 'k', 'k', MIB);
    _exit(0);
  }
  close(p[1]);
  c = 0;
  read_full(p[0], &c, 1);
  close(p[0]);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return c == 'k';
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "child-closes-first") == 0)
    return closes_first('P') != 0;
  if (strcmp(s, "parent-drains") == 0)
    return reads_everything() != MIB;
  if (strcmp(s, "small-child") == 0)
    return small_child() != 1;
  if (strcmp(s, "parent-kills") == 0)
    return kills_child() != 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

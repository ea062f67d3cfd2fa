// pipe-self-deadlock: a single read of a child's output while this process
// still holds the write end, when the child runs a program and, if the
// exec fails, exits without writing (util-linux 2.38.1
// libblkid/src/topology/dm.c). The program would have written; the failed
// child writes nothing and exits, its copy of the write end closes, but
// this process's copy keeps end-of-file away: the read waits forever. The
// "-ok" scenarios run a program that prints, and finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s switch-missing hang
// RUN: %run_example %s switch-ok exit
// RUN: %run_example %s helper-missing hang
// RUN: %run_example %s helper-ok exit
// RUN: %run_example %s near-closed-first exit
// RUN: %run_example %s near-prints-to-pipe exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int verbose = 1;

/* The program's own debug helper: it writes to standard error only. */
static void debug(const char *what)
{
  if (verbose)
    fprintf(stderr, "debug: %s failed: %s\n", what, strerror(errno));
}

/* The dm.c shape: `switch (fork())`, the child's output made its standard
 * output, the parent reading one record with fscanf(). */
int table_sizes(const char *cmd, int *a, int *b)
{
  int p[2];
  FILE *stream = NULL;

  if (pipe(p) < 0)
    return -1;
  switch (fork()) {
  case 0: {
    char *argv[] = {(char *)cmd, "7", "9", NULL};
    close(p[0]);
    if (p[1] != STDOUT_FILENO)
      dup2(p[1], STDOUT_FILENO);
    execv(cmd, argv);
    debug("execv");
    exit(1);
  }
  case -1:
    goto nothing;
  default:
    break;
  }
  stream = fdopen(p[0], "r");
  if (!stream)
    goto nothing;
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: read from 'stream' blocks forever if the child process exits without writing to the pipe, as it does when its exec fails: this process still holds the write end 'p[1]', so the read never sees end-of-file; close 'p[1]' before reading [pipe-self-deadlock]
  // CHECK-MESSAGES: :44:11: note: the child process starts here
  // CHECK-MESSAGES: :52:5: note: when its exec fails, the child exits here without writing to 'p[1]'
  // CHECK-MESSAGES: :42:7: note: pipe created here
  if (fscanf(stream, "%d %d", a, b) != 2)
    goto nothing;
  fclose(stream);
  close(p[1]);
  return 0;
nothing:
  if (stream)
    fclose(stream);
  else
    close(p[0]);
  close(p[1]);
  return 1;
}

/* Runs `cmd` with its output to 'out'; the pid is kept and returned. */
static pid_t start(const char *cmd, int out)
{
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, STDOUT_FILENO);
    execl(cmd, cmd, "42", (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* The child started by a helper, the parent reading one int with read(). */
int first_number(const char *cmd)
{
  int p[2];
  char buf[16] = {0};
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = start(cmd, p[1]);
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: read from 'p[0]' blocks forever if child process 'pid' exits without writing to the pipe, as it does when its exec fails: this process still holds the write end 'p[1]', so the read never sees end-of-file; close 'p[1]' before reading [pipe-self-deadlock]
  // CHECK-MESSAGES: :101:9: note: child process 'pid' starts here
  // CHECK-MESSAGES: :87:5: note: when its exec fails, the child exits here without writing to 'p[1]'
  // CHECK-MESSAGES: :99:7: note: pipe created here
  read(p[0], buf, sizeof buf - 1);
  close(p[0]);
  close(p[1]);
  return atoi(buf);
}

/* Near miss: the parent closes its write end before it reads; a failed
 * exec gives end-of-file. */
int closed_first(const char *cmd)
{
  int p[2];
  char buf[16] = {0};
  pid_t pid;

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
    dup2(p[1], STDOUT_FILENO);
    execl(cmd, cmd, "5", (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  read(p[0], buf, sizeof buf - 1);
  close(p[0]);
  return atoi(buf);
}

/* Near miss: the failed child prints to its standard output, which is the
 * pipe: the read gets that line. */
int prints_to_pipe(const char *cmd)
{
  int p[2];
  char buf[64] = {0};
  pid_t pid;

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
    dup2(p[1], STDOUT_FILENO);
    execl(cmd, cmd, (char *)NULL);
    printf("cannot run %s\n", cmd);
    fflush(stdout);
    _exit(127);
  }
  read(p[0], buf, sizeof buf - 1);
  close(p[0]);
  close(p[1]);
  return buf[0] == 'c';
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int a = 0, b = 0;

  verbose = 0;
  if (strcmp(s, "switch-missing") == 0)
    return table_sizes("/nonexistent/dmsetup", &a, &b);
  if (strcmp(s, "switch-ok") == 0)
    return table_sizes("/bin/echo", &a, &b) != 0 || a != 7 || b != 9;
  if (strcmp(s, "helper-missing") == 0)
    return first_number("/nonexistent/tool");
  if (strcmp(s, "helper-ok") == 0)
    return first_number("/bin/echo") != 42;
  if (strcmp(s, "near-closed-first") == 0)
    return closed_first("/nonexistent/tool") != 0;
  if (strcmp(s, "near-prints-to-pipe") == 0)
    return prints_to_pipe("/nonexistent/tool") != 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

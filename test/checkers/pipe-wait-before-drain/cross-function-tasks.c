// pipe-wait-before-drain with the child's pid kept in a command record
// (`cmd.pid`, `cp->pid`) and waited for by a helper (`finish_command(&cmd)`,
// two calls down), as programs with start/finish pairs do: the parent waits
// before it reads the child's output. A command printing 100000 lines
// fills the pipe (64 KiB) and blocks, so the wait never returns; the "-ok"
// scenarios run the same functions with a short output, which fits, and
// finish. The near-miss reads the output to end-of-file before finishing.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s finish-before-read hang
// RUN: %run_example %s finish-before-read-ok exit
// RUN: %run_example %s pointer-finish-before-read hang
// RUN: %run_example %s pointer-finish-before-read-ok exit
// RUN: %run_example %s read-then-finish exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct command {
  pid_t pid;
  int status;
};

static int reap_command(struct command *cmd)
{
  if (waitpid(cmd->pid, &cmd->status, 0) < 0)
    return -1;
  return WIFEXITED(cmd->status) ? WEXITSTATUS(cmd->status) : -1;
}

/* Waits for the command; its exit status, or -1. */
static int finish_command(struct command *cmd)
{
  return reap_command(cmd);
}

/* Runs `seq 1 LAST` and returns how many bytes it printed, or -1 when it
 * failed: the status is checked before the output is read. */
long seq_output(const char *last)
{
  int fds[2];
  struct command cmd;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cmd.pid = fork();
  if (cmd.pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cmd.pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: finish_command() waits for child process 'cmd.pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-15]]:13: note: child process 'cmd.pid' starts here; it makes 'fds[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+5]]:7: note: 'fds[0]' is read only here, after the wait
  if (finish_command(&cmd) != 0) {
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  return n;
}

/* The same with the record reached through a pointer. */
long seq_output_via(const char *last)
{
  int fds[2];
  struct command rec;
  struct command *cp = &rec;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cp->pid = fork();
  if (cp->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cp->pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: finish_command() waits for child process 'cp->pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-15]]:13: note: child process 'cp->pid' starts here; it makes 'fds[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+5]]:7: note: 'fds[0]' is read only here, after the wait
  if (finish_command(cp) != 0) {
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  return n;
}

/* Near-miss: the output is read to end-of-file, then the command is
 * finished. */
long seq_output_read_first(const char *last)
{
  int fds[2];
  struct command cmd;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cmd.pid = fork();
  if (cmd.pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cmd.pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    execlp("seq", "seq", "1", last, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  n = drain(fds[0]);
  close(fds[0]);
  if (finish_command(&cmd) != 0)
    return -1;
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "finish-before-read") == 0)
    return seq_output("100000") != 588895;
  if (strcmp(s, "finish-before-read-ok") == 0)
    return seq_output("3") != 6;
  if (strcmp(s, "pointer-finish-before-read") == 0)
    return seq_output_via("100000") != 588895;
  if (strcmp(s, "pointer-finish-before-read-ok") == 0)
    return seq_output_via("3") != 6;
  if (strcmp(s, "read-then-finish") == 0)
    return seq_output_read_first("100000") != 588895;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

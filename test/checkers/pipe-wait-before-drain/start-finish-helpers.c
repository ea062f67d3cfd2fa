// pipe-wait-before-drain with the child started and waited for through a
// pair of helpers, as git's run-command does: `start_command(&cmd)` forks
// into `cmd->pid` and makes `cmd->out` the child's standard output (its
// summary says so), and `finish_command(&cmd)` waits for `cmd->pid`. The
// caller waits before it reads the output: `seq 1 100000` fills the pipe
// (64 KiB) and blocks, so the wait never returns; the "-ok" scenario prints
// three lines, which fit, and finishes. The near-miss reads the output to
// end-of-file first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s finish-before-read hang
// RUN: %run_example %s finish-before-read-ok exit
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
  const char *last; /* seq 1 LAST */
  int out;          /* becomes the child's standard output */
  pid_t pid;
  int status;
};

/* Starts `seq 1 LAST` with its output on cmd->out; 0, or -1. */
static int start_command(struct command *cmd)
{
  cmd->pid = fork();
  if (cmd->pid < 0)
    return -1;
  if (cmd->pid == 0) {
    dup2(cmd->out, STDOUT_FILENO);
    execlp("seq", "seq", "1", cmd->last, (char *)NULL);
    _exit(127);
  }
  return 0;
}

/* Waits for the command; its exit status, or -1. */
static int finish_command(struct command *cmd)
{
  if (waitpid(cmd->pid, &cmd->status, 0) < 0)
    return -1;
  return WIFEXITED(cmd->status) ? WEXITSTATUS(cmd->status) : -1;
}

/* Runs the command and returns how many bytes it printed, or -1 when it
 * failed: the status is checked before the output is read. */
long command_output(const char *last)
{
  int fds[2];
  struct command cmd;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cmd.last = last;
  cmd.out = fds[1];
  if (start_command(&cmd) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: finish_command() waits for child process 'cmd.pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: child process 'cmd.pid' starts here; it makes 'fds[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+5]]:7: note: 'fds[0]' is read only here, after the wait
  if (finish_command(&cmd) != 0) {
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  return n;
}

/* Near-miss: read to end-of-file, then finish. */
long command_output_read_first(const char *last)
{
  int fds[2];
  struct command cmd;
  long n;

  if (pipe(fds) < 0)
    return -1;
  cmd.last = last;
  cmd.out = fds[1];
  if (start_command(&cmd) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
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
    return command_output("100000") != 588895;
  if (strcmp(s, "finish-before-read-ok") == 0)
    return command_output("3") != 6;
  if (strcmp(s, "read-then-finish") == 0)
    return command_output_read_first("100000") != 588895;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// One warning per defect: when a parent blocks at two points on the same
// child left blocked writing the same pipe, that is one defect with one fix
// (read that pipe first, or poll), so the check reports the first blocking
// point and names the later one in a note.
//
//  - collect(): standard output read to end-of-file before standard error
//    is read, then waitpid() before standard error is read (the shape of
//    dbus's _dbus_get_autolaunch_address()): both wait for a child blocked
//    writing to 'err[1]'.
//  - filter(): all of the input written before the output is read, then
//    waitpid() before the output is read: both wait for a child blocked
//    writing to 'out[1]'.
//
// Each runs with a large output (hangs) and a small one (exits).
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s collect hang
// RUN: %run_example %s collect-ok exit
// RUN: %run_example %s filter hang
// RUN: %run_example %s filter-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command; returns how many bytes it printed on its standard
 * output and error together, or -1. */
long collect(const char *cmd)
{
  int out[2], err[2], status;
  char buf[4096];
  ssize_t n;
  long total = 0;
  pid_t pid;

  if (pipe(out) < 0)
    abort();
  if (pipe(err) < 0)
    abort();
  pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:15: warning: 'out[0]' is read to end-of-file before 'err[0]' is read at all: if child process 'pid' first writes more than the pipe holds (65536 bytes) to 'err[1]', it blocks there and never closes 'out[1]', so this read never ends and both wait forever; read both pipes with poll(), or one from another thread [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-16]]:9: note: child process 'pid' starts here; it makes 'out[1]' and 'err[1]' its standard output and error, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE+7]]:15: note: 'err[0]' is read only here
  // CHECK-MESSAGES: :[[@LINE+4]]:7: note: waitpid() here also waits for child process 'pid' before 'err[0]' is read: the same blocked child, fixed by the same change
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    total += n;
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  while ((n = read(err[0], buf, sizeof buf)) > 0)
    total += n;
  close(err[0]);
  return total;
}

/* Passes 'len' bytes through cat; returns how many came back, or -1. */
long filter(const char *data, size_t len)
{
  int in[2], out[2], status;
  char buf[4096];
  ssize_t n;
  long total = 0;
  pid_t pid;

  if (pipe(in) < 0)
    abort();
  if (pipe(out) < 0)
    abort();
  pid = fork();
  if (pid < 0)
    abort();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("cat", "cat", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: writing an amount we cannot bound to the standard input 'in[1]' of child process 'pid' before reading its standard output 'out[0]' can deadlock: once the output pipe is full (65536 bytes) the child stops reading its input, and this write never finishes; write from another thread, or poll both pipes [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-16]]:9: note: child process 'pid' starts here; it makes 'out[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-19]]:7: note: output pipe created here
  // CHECK-MESSAGES: :[[@LINE+7]]:15: note: 'out[0]' is read only here, after the write
  // CHECK-MESSAGES: :[[@LINE+4]]:7: note: waitpid() here also waits for child process 'pid' before 'out[0]' is read: the same blocked child, fixed by the same change
  if (write(in[1], data, len) != (ssize_t)len)
    return -1;
  close(in[1]);
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    total += n;
  close(out[0]);
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "collect") == 0)
    return collect("head -c 200000 /dev/zero >&2; echo done") != 200005;
  if (strcmp(s, "collect-ok") == 0)
    return collect("echo oops >&2; echo done") != 10;
  if (strcmp(s, "filter") == 0 || strcmp(s, "filter-ok") == 0) {
    size_t len = strcmp(s, "filter") == 0 ? 1024 * 1024 : 10;
    char *data = calloc(len, 1);
    long got;

    if (!data)
      return 1;
    got = filter(data, len);
    free(data);
    return got != (long)len;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

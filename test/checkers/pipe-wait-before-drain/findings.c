// Positive findings of pipe-wait-before-drain in C: a parent blocks on its
// child before it has read the child's output pipe. A pipe holds 64 KiB; a
// child that writes more blocks in write() until somebody reads, so
//
//  - waiting for the child (waitpid(), wait()) before reading its output to
//    end-of-file waits for a child that cannot exit;
//  - writing all of a child filter's standard input before reading its
//    standard output deadlocks once the filter's output pipe is full: it
//    stops reading its input, and the parent's write() blocks too;
//  - reading the child's standard output to end-of-file before its standard
//    error deadlocks when the child first writes more than a pipe holds to
//    standard error: it never gets to close standard output.
//
// Each function runs twice: with a large output (a command printing 100000
// lines, 200000 bytes of stderr, 1 MiB through cat) it hangs; the "-ok"
// scenario runs the very same function with an output of a few bytes, which
// fits in the pipe, and it finishes. That is why these bugs survive testing.
//
// The CHECK-MESSAGES lines say where the check reports, with its notes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s exec-waitpid hang
// RUN: %run_example %s exec-waitpid-ok exit
// RUN: %run_example %s exec-wait hang
// RUN: %run_example %s exec-wait-ok exit
// RUN: %run_example %s drain-helper hang
// RUN: %run_example %s drain-helper-ok exit
// RUN: %run_example %s child-write-loop hang
// RUN: %run_example %s child-write-loop-ok exit
// RUN: %run_example %s spawn-waitpid hang
// RUN: %run_example %s spawn-waitpid-ok exit
// RUN: %run_example %s stdin-before-stdout hang
// RUN: %run_example %s stdin-before-stdout-ok exit
// RUN: %run_example %s stdout-before-stderr hang
// RUN: %run_example %s stdout-before-stderr-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

extern char **environ;

/* ---- waitpid() before reading the output: hang -------------------------- */

/* Runs a shell command and counts the lines it prints; -1 when it fails. */
long count_output_lines(const char *cmd)
{
  int p[2], status;
  char buf[4096];
  long lines = 0;
  ssize_t n, i;
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
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-15]]:9: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+7]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  close(p[0]);
  return lines;
}

/* ---- wait() before reading the output: hang ----------------------------- */

/* Runs a shell command and keeps the start of its output in out (always
 * NUL-terminated); returns the size of the whole output, -1 on a failure. */
long capture_command(const char *cmd, char *out, size_t cap)
{
  int p[2], status;
  char buf[4096];
  size_t kept = 0;
  long total = 0;
  ssize_t n;
  pid_t pid;

  if (cap == 0 || pipe(p) < 0)
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
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: wait() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-15]]:9: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-18]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
  if (wait(&status) != pid) {
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    size_t k = (size_t)n;
    if (k > cap - 1 - kept)
      k = cap - 1 - kept;
    memcpy(out + kept, buf, k);
    kept += k;
    total += n;
  }
  out[kept] = '\0';
  close(p[0]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? total : -1;
}

/* ---- a drain() helper called after the wait: hang ----------------------- */

/* Runs a program with the given arguments and returns how many bytes it
 * printed, or -1 when it could not run or failed. */
long output_size_of(const char *prog, const char *arg1, const char *arg2)
{
  int p[2], status;
  long size;
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
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp(prog, prog, arg1, arg2, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-15]]:9: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:10: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
  if (waitpid(pid, &status, 0) < 0) {
    close(p[0]);
    return -1;
  }
  size = drain(p[0]);
  close(p[0]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? size : -1;
}

/* ---- the child writes 1 MiB itself, the parent waits first: hang -------- */

static char snapshot_pages[1024 * 1024];

/* Has a child take a snapshot of its state and send it back: a header line
 * and, unless header_only, 1 MiB of pages. Returns the size received. */
long fetch_snapshot(int header_only)
{
  int p[2], status;
  char buf[8192];
  long total = 0;
  ssize_t n;
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
    memset(snapshot_pages, 'x', sizeof snapshot_pages);
    if (write_all(p[1], "snapshot\n", 9) < 0)
      _exit(1);
    if (!header_only && write_all(p[1], snapshot_pages, 1024 * 1024) < 0)
      _exit(1);
    _exit(0);
  }
  close(p[1]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-17]]:9: note: child process 'pid' starts here; it writes up to 1048585 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:15: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: taking the false branch
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  return total;
}

/* ---- posix_spawnp(), then waitpid() before reading: hang ---------------- */

/* Runs a shell command with posix_spawnp() and returns the size of its
 * output, or -1. */
long spawn_output_size(const char *cmd)
{
  char *args[] = {"sh", "-c", (char *)cmd, NULL};
  posix_spawn_file_actions_t fa;
  int p[2], status, err;
  long size;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], 1);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  err = posix_spawnp(&pid, "sh", &fa, NULL, args, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (err != 0) {
    close(p[0]);
    return -1;
  }
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-8]]:9: note: child process 'pid' starts here; it makes 'p[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+6]]:10: note: 'p[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the false branch
  if (waitpid(pid, &status, 0) < 0) {
    close(p[0]);
    return -1;
  }
  size = drain(p[0]);
  close(p[0]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? size : -1;
}

/* ---- all of the child's stdin written before its stdout is read: hang --- */

/* Sends data through cat (standing in for any filter: a compressor, gpg,
 * sort -m) and returns how many bytes came back, or -1. */
long filter_through_cat(const char *data, size_t len)
{
  int in[2], out[2], status;
  long total;
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
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
  // CHECK-MESSAGES: :[[@LINE-21]]:9: note: child process 'pid' starts here; it makes 'out[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-27]]:7: note: output pipe created here
  // CHECK-MESSAGES: :[[@LINE+9]]:11: note: 'out[0]' is read only here, after the write
  // CHECK-MESSAGES: :[[@LINE-23]]:7: note: taking the false branch
  if (write_all(in[1], data, len) < 0) {
    close(in[1]);
    close(out[0]);
    waitpid(pid, &status, 0);
    return -1;
  }
  close(in[1]);
  total = drain(out[0]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* ---- stdout read to end-of-file before stderr: hang --------------------- */

/* Runs a shell command and collects its standard output and its standard
 * error separately; returns the exit status, or -1. */
int run_collecting(const char *cmd, long *out_bytes, long *err_bytes)
{
  int out[2], err[2], status;
  char buf[4096];
  ssize_t n;
  pid_t pid;

  if (pipe(out) < 0)
    return -1;
  if (pipe(err) < 0) {
    close(out[0]);
    close(out[1]);
    return -1;
  }
  pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    return -1;
  }
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
  *out_bytes = 0;
  *err_bytes = 0;
  // CHECK-MESSAGES: :[[@LINE+4]]:15: warning: 'out[0]' is read to end-of-file before 'err[0]' is read at all: if child process 'pid' first writes more than the pipe holds (65536 bytes) to 'err[1]', it blocks there and never closes 'out[1]', so this read never ends and both wait forever; read both pipes with poll(), or one from another thread [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-23]]:9: note: child process 'pid' starts here; it makes 'out[1]' and 'err[1]' its standard output and error, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE+4]]:15: note: 'err[0]' is read only here
  // CHECK-MESSAGES: :[[@LINE-24]]:7: note: taking the false branch
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    *out_bytes += n;
  while ((n = read(err[0], buf, sizeof buf)) > 0)
    *err_bytes += n;
  close(out[0]);
  close(err[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char head[64];

  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "exec-waitpid") == 0)
    return count_output_lines("seq 1 100000") != 100000;
  if (strcmp(s, "exec-waitpid-ok") == 0)
    return count_output_lines("seq 1 3") != 3;
  if (strcmp(s, "exec-wait") == 0)
    return capture_command("head -c 200000 /dev/zero", head, sizeof head) != 200000;
  if (strcmp(s, "exec-wait-ok") == 0)
    return capture_command("echo 123456789", head, sizeof head) != 10 ||
           strcmp(head, "123456789\n") != 0;
  if (strcmp(s, "drain-helper") == 0)
    return output_size_of("seq", "1", "100000") != 588895;
  if (strcmp(s, "drain-helper-ok") == 0)
    return output_size_of("seq", "1", "5") != 10;
  if (strcmp(s, "child-write-loop") == 0)
    return fetch_snapshot(0) != 9 + 1024 * 1024;
  if (strcmp(s, "child-write-loop-ok") == 0)
    return fetch_snapshot(1) != 9;
  if (strcmp(s, "spawn-waitpid") == 0)
    return spawn_output_size("seq 1 100000") != 588895;
  if (strcmp(s, "spawn-waitpid-ok") == 0)
    return spawn_output_size("echo 123456789") != 10;
  if (strcmp(s, "stdin-before-stdout") == 0 || strcmp(s, "stdin-before-stdout-ok") == 0) {
    size_t len = strcmp(s, "stdin-before-stdout") == 0 ? 1024 * 1024 : 10;
    char *data = malloc(len);
    long got;
    if (!data)
      return 1;
    memset(data, 'd', len);
    got = filter_through_cat(data, len);
    free(data);
    return got != (long)len;
  }
  if (strcmp(s, "stdout-before-stderr") == 0 || strcmp(s, "stdout-before-stderr-ok") == 0) {
    long o, e;
    int big = strcmp(s, "stdout-before-stderr") == 0;
    int rc = run_collecting(big ? "head -c 200000 /dev/zero >&2; echo done"
                                : "echo oops >&2; echo done",
                            &o, &e);
    return rc != 0 || o != 5 || e != (big ? 200000 : 5);
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// C parents that run a child with its output (or input) on a pipe and get
// it right: the output is read to end-of-file before the wait; stdout and
// stderr are multiplexed with poll(); a reader thread drains the pipe while
// the main thread waits; the child provably writes only a few bytes; the
// read end is non-blocking; the child's input is a short constant string;
// popen()/pclose(); a pipe that is only a synchronisation signal; a
// WNOHANG wait in a poll loop. The children that matter write 200000 bytes
// or more, far more than a pipe holds (64 KiB), so any of the bugs would
// hang. None of these may be reported by pipe-wait-before-drain, and every
// scenario exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s read-then-wait exit
// RUN: %run_example %s spawn-read-then-wait exit
// RUN: %run_example %s child-write-loop-read-then-wait exit
// RUN: %run_example %s poll-stdout-stderr exit
// RUN: %run_example %s reader-thread exit
// RUN: %run_example %s small-constant-child exit
// RUN: %run_example %s nonblocking-read-end exit
// RUN: %run_example %s small-constant-stdin exit
// RUN: %run_example %s popen-pclose exit
// RUN: %run_example %s sync-pipe-closed exit
// RUN: %run_example %s sync-byte-before-wait exit
// RUN: %run_example %s wnohang-poll-loop exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

extern char **environ;

/* ---- read to end-of-file, then wait ------------------------------------- */

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
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return lines;
}

/* The same with posix_spawnp(): returns the size of the output, or -1. */
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
  size = drain(p[0]);
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return size;
}

static char snapshot_pages[1024 * 1024];

/* A child writes a header and 1 MiB of pages itself; the parent reads it
 * all, then waits. Returns the size received, or -1. */
long fetch_snapshot(void)
{
  int p[2], status;
  long total;
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
    if (write_all(p[1], "snapshot\n", 9) < 0 ||
        write_all(p[1], snapshot_pages, 1024 * 1024) < 0)
      _exit(1);
    _exit(0);
  }
  close(p[1]);
  total = drain(p[0]);
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* ---- stdout and stderr multiplexed with poll() -------------------------- */

/* Runs a shell command and counts the bytes of its standard output and of
 * its standard error, reading both as they come; returns the exit status. */
int run_collecting(const char *cmd, long *out_bytes, long *err_bytes)
{
  int out[2], err[2], status, open_fds = 2;
  struct pollfd pfd[2];
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
  pfd[0].fd = out[0];
  pfd[0].events = POLLIN;
  pfd[1].fd = err[0];
  pfd[1].events = POLLIN;
  while (open_fds > 0) {
    int i;
    if (poll(pfd, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (i = 0; i < 2; i++) {
      if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      n = read(pfd[i].fd, buf, sizeof buf);
      if (n > 0) {
        *(i == 0 ? out_bytes : err_bytes) += n;
      } else {
        pfd[i].fd = -1;
        open_fds--;
      }
    }
  }
  close(out[0]);
  close(err[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- a reader thread drains the pipe while this thread waits ------------ */

struct reader {
  int fd;
  long bytes;
};

static void *read_to_eof(void *arg)
{
  struct reader *r = arg;

  r->bytes = drain(r->fd);
  return NULL;
}

/* Runs a shell command; a thread reads its output while this thread waits
 * for it. Returns the size of the output, or -1. */
long output_size_threaded(const char *cmd)
{
  struct reader r;
  pthread_t tid;
  int p[2], status;
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
  r.fd = p[0];
  r.bytes = -1;
  if (pthread_create(&tid, NULL, read_to_eof, &r) != 0) {
    close(p[0]);
    waitpid(pid, &status, 0);
    return -1;
  }
  waitpid(pid, &status, 0);
  pthread_join(tid, NULL);
  close(p[0]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? r.bytes : -1;
}

/* ---- the child writes a small constant: it fits in the pipe ------------- */

/* Asks a child whether it could set itself up; it answers "ok\n". */
int child_reports_ok(void)
{
  int p[2], status;
  char answer[8];
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
    write(p[1], "ok\n", 3);
    _exit(0);
  }
  close(p[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
    close(p[0]);
    return -1;
  }
  n = read_full(p[0], answer, sizeof answer);
  close(p[0]);
  return n == 3 && memcmp(answer, "ok\n", 3) == 0;
}

/* ---- a non-blocking read end -------------------------------------------- */

/* Runs a shell command from a program that must stay responsive: its
 * output is read without blocking, a bit at a time between other work
 * (a short sleep here), until end-of-file. Returns the size, or -1. */
long output_size_nonblocking(const char *cmd)
{
  int p[2], status;
  char buf[4096];
  long total = 0;
  ssize_t n;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
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
  for (;;) {
    n = read(p[0], buf, sizeof buf);
    if (n > 0)
      total += n;
    else if (n == 0)
      break;
    else if (errno == EAGAIN)
      usleep(1000); /* the rest of the program's work */
    else if (errno != EINTR)
      break;
  }
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* ---- a short constant string to the child's stdin ----------------------- */

/* Has a child reply to a greeting: a constant 6-byte message fits in the
 * input pipe, so writing it before reading the output is fine. Returns the
 * size of the reply. */
long greet_child(const char *reply_cmd)
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
    execlp("sh", "sh", "-c", reply_cmd, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], "hello\n", 6);
  close(in[1]);
  total = drain(out[0]);
  close(out[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* ---- popen() and pclose() ----------------------------------------------- */

/* Runs a shell command with popen(), reads its output, then pclose()s. */
long popen_output_size(const char *cmd)
{
  char buf[4096];
  long total = 0;
  size_t n;
  FILE *f = popen(cmd, "r");

  if (!f)
    return -1;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    total += (long)n;
  if (pclose(f) != 0)
    return -1;
  return total;
}

/* ---- a pipe that is only a synchronisation signal ----------------------- */

/* The child does its work (here: runs a command with its output thrown
 * away) and closes its end of a "done" pipe when finished; the parent
 * waits for it and then simply closes its own end: the pipe carries no
 * data. Returns the child's exit status. */
int run_quietly(const char *cmd)
{
  int done[2], status;
  pid_t pid;

  if (pipe(done) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(done[0]);
    close(done[1]);
    return -1;
  }
  if (pid == 0) {
    close(done[0]);
    status = system(cmd);
    close(done[1]);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
  }
  close(done[1]);
  if (waitpid(pid, &status, 0) < 0) {
    close(done[0]);
    return -1;
  }
  close(done[0]);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The child says it is ready with one byte; the parent reads that byte,
 * then waits for the child to finish its (large, discarded) work. */
int start_and_wait_ready(const char *cmd)
{
  int ready[2], status;
  char c;
  pid_t pid;

  if (pipe(ready) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(ready[0]);
    close(ready[1]);
    return -1;
  }
  if (pid == 0) {
    close(ready[0]);
    write(ready[1], "R", 1);
    close(ready[1]);
    status = system(cmd);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
  }
  close(ready[1]);
  if (read(ready[0], &c, 1) != 1 || c != 'R') {
    close(ready[0]);
    waitpid(pid, &status, 0);
    return -1;
  }
  close(ready[0]);
  if (waitpid(pid, &status, 0) < 0)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- WNOHANG in a poll loop --------------------------------------------- */

/* Reads a command's output as it comes, checking between reads (without
 * blocking) whether it has exited. Returns the size, or -1. */
long output_size_polling(const char *cmd)
{
  struct pollfd pfd;
  int p[2], status = 0, exited = 0;
  char buf[4096];
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
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  pfd.fd = p[0];
  pfd.events = POLLIN;
  for (;;) {
    if (!exited && waitpid(pid, &status, WNOHANG) == pid)
      exited = 1;
    if (poll(&pfd, 1, 100) > 0) {
      n = read(p[0], buf, sizeof buf);
      if (n <= 0)
        break;
      total += n;
    }
  }
  close(p[0]);
  if (!exited && waitpid(pid, &status, 0) < 0)
    return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? total : -1;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "read-then-wait") == 0)
    return count_output_lines("seq 1 100000") != 100000;
  if (strcmp(s, "spawn-read-then-wait") == 0)
    return spawn_output_size("seq 1 100000") != 588895;
  if (strcmp(s, "child-write-loop-read-then-wait") == 0)
    return fetch_snapshot() != 9 + 1024 * 1024;
  if (strcmp(s, "poll-stdout-stderr") == 0) {
    long o, e;
    int rc = run_collecting("head -c 200000 /dev/zero >&2; head -c 300000 /dev/zero", &o, &e);
    return rc != 0 || o != 300000 || e != 200000;
  }
  if (strcmp(s, "reader-thread") == 0)
    return output_size_threaded("head -c 200000 /dev/zero") != 200000;
  if (strcmp(s, "small-constant-child") == 0)
    return child_reports_ok() != 1;
  if (strcmp(s, "nonblocking-read-end") == 0)
    return output_size_nonblocking("head -c 200000 /dev/zero") != 200000;
  if (strcmp(s, "small-constant-stdin") == 0)
    return greet_child("read greeting; head -c 200000 /dev/zero") != 200000;
  if (strcmp(s, "popen-pclose") == 0)
    return popen_output_size("head -c 200000 /dev/zero") != 200000;
  if (strcmp(s, "sync-pipe-closed") == 0)
    return run_quietly("head -c 200000 /dev/zero >/dev/null") != 0;
  if (strcmp(s, "sync-byte-before-wait") == 0)
    return start_and_wait_ready("head -c 200000 /dev/zero >/dev/null") != 0;
  if (strcmp(s, "wnohang-poll-loop") == 0)
    return output_size_polling("head -c 200000 /dev/zero") != 200000;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

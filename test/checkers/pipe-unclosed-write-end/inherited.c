// Write ends that another process inherits without meaning to, in C: a
// helper's pipe without O_CLOEXEC kept by a program its caller starts; a
// posix_spawn file action that hands the end over twice; a forked worker
// that never ends and keeps an end it does not use; a parent that reads a
// child's output while it still holds the child's standard input; and
// duplicates made through dup()/dup2() wrappers. Each finding has a scenario
// that really hangs; the "-ok" scenarios take the same code with an input
// on which nothing is inherited for long, and finish. The near-miss twins
// are in inherited-near-miss.c.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I %S
// RUN: %run_example %s helper-system hang
// RUN: %run_example %s helper-system-ok exit
// RUN: %run_example %s helper-header hang
// RUN: %run_example %s helper-spawn hang
// RUN: %run_example %s helper-spawn-ok exit
// RUN: %run_example %s helper-out-params hang
// RUN: %run_example %s spawn-dup2 hang
// RUN: %run_example %s spawn-dup2-ok exit
// RUN: %run_example %s ticker hang
// RUN: %run_example %s ticker-helper hang
// RUN: %run_example %s sort-stdin hang
// RUN: %run_example %s xdup-early hang
// RUN: %run_example %s xdup-early-ok exit
// RUN: %run_example %s xdup-exec hang
// RUN: %run_example %s xdup-exec-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/inherited-helpers.h"

extern char **environ;

/* Reads fd until end-of-file; returns the number of bytes read. */
static ssize_t drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* ---- 1. a helper's pipe, inherited by the program its caller starts ---- */

/* Makes a pipe for the caller: 0, or -1. */
static int make_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe leaves 'make_pipe' here without O_CLOEXEC, and 'run_logged' starts a program with 'system' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'make_pipe' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+27]]:3: note: the program started here inherits 'fds[1]', which 'run_logged' got from 'make_pipe'
}

/* Runs 'cmd' with system() while a logger child records what happens.
 * Returns the logger's wait status, or -1. */
int run_logged(const char *cmd)
{
  int fds[2];
  pid_t logger;
  int status = -1;

  if (make_pipe(fds) < 0)
    return -1;
  logger = fork();
  if (logger < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (logger == 0) {
    close(fds[1]);
    drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  dprintf(fds[1], "running %s\n", cmd);
  /* A command that leaves a background process behind keeps fds[1]. */
  system(cmd);
  close(fds[1]);
  waitpid(logger, &status, 0);
  return status;
}

/* The same with the helper in a header: reported here, at the call that
 * starts the program, since a warning in the header would not be shown. */
int run_logged_header(const char *cmd)
{
  int fds[2];
  pid_t logger;
  int status = -1;

  if (header_make_pipe(fds) < 0)
    return -1;
  logger = fork();
  if (logger < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (logger == 0) {
    close(fds[1]);
    drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  system(cmd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' is inherited by the child that 'system' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: taking the false branch
  close(fds[1]);
  waitpid(logger, &status, 0);
  return status;
}

/* Depth 2: a struct returned by value, copied into the caller's struct by
 * another helper. */
struct pipe_pair {
  int rd, wr;
};

static struct pipe_pair new_pair(void)
{
  struct pipe_pair p = {-1, -1};
  int fds[2];

  if (pipe(fds) == 0) {
    p.rd = fds[0];
    p.wr = fds[1];
  }
  return p;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe leaves 'new_pair' here without O_CLOEXEC, and 'launch_logged' starts a program with 'posix_spawnp' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'new_pair' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+39]]:7: note: the program started here inherits 'ch.wr', which 'launch_logged' got from 'open_channel'
}

struct channel {
  int rd, wr;
};

static int open_channel(struct channel *ch)
{
  struct pipe_pair p = new_pair();

  if (p.rd < 0)
    return -1;
  ch->rd = p.rd;
  ch->wr = p.wr;
  return 0;
}

/* Starts argv next to a logger child. Returns the logger's status. */
int launch_logged(char *const argv[])
{
  struct channel ch;
  pid_t logger, prog;
  int status = -1;

  if (open_channel(&ch) < 0)
    return -1;
  logger = fork();
  if (logger < 0) {
    close(ch.rd);
    close(ch.wr);
    return -1;
  }
  if (logger == 0) {
    close(ch.wr);
    drain(ch.rd);
    _exit(0);
  }
  close(ch.rd);
  if (posix_spawnp(&prog, argv[0], NULL, NULL, argv, environ) != 0)
    prog = -1;
  dprintf(ch.wr, "started %s\n", argv[0]);
  close(ch.wr);
  waitpid(logger, &status, 0);
  if (prog > 0)
    waitpid(prog, NULL, WNOHANG);
  return status;
}

/* Out-parameters, and the program started in a forked child by exec. */
static int open_pair(int *rd, int *wr)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rd = fds[0];
  *wr = fds[1];
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end '*wr' of the pipe leaves 'open_pair' here without O_CLOEXEC, and 'notify_and_launch' starts a program with 'execvp' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'open_pair' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+25]]:5: note: the program started here inherits 'wr', which 'notify_and_launch' got from 'open_pair'
}

int notify_and_launch(const char *msg, char *const prog[])
{
  int rd, wr;
  pid_t reader, launcher;
  int status = -1;

  if (open_pair(&rd, &wr) < 0)
    return -1;
  reader = fork();
  if (reader < 0) {
    close(rd);
    close(wr);
    return -1;
  }
  if (reader == 0) {
    close(wr);
    drain(rd);
    _exit(0);
  }
  close(rd);
  launcher = fork();
  if (launcher == 0) {
    execvp(prog[0], prog);
    _exit(127);
  }
  dprintf(wr, "%s\n", msg);
  close(wr);
  waitpid(reader, &status, 0);
  if (launcher > 0)
    waitpid(launcher, NULL, WNOHANG);
  return status;
}

/* ---- 4. posix_spawn_file_actions_adddup2() without addclose() ---------- */

/* Runs argv with its standard output on a pipe; returns how many bytes it
 * printed, or -1. */
ssize_t spawn_count(char *const argv[])
{
  int fds[2];
  pid_t pid;
  posix_spawn_file_actions_t fa;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the program that 'posix_spawnp' starts gets write end 'fds[1]' from posix_spawn_file_actions_adddup2() and also inherits 'fds[1]' itself, since no posix_spawn_file_actions_addclose() of it follows and it lacks O_CLOEXEC; readers of the pipe never see end-of-file while that program or anything it starts runs, even after it closes its copy; add posix_spawn_file_actions_addclose() of 'fds[1]' after the adddup2() [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  n = drain(fds[0]);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* ---- 2. a forked worker that never ends, holding an end it never uses -- */

static void tick_forever(unsigned secs)
{
  for (;;)
    sleep(secs);
}

/* Runs 'job' in a worker child that reports on a pipe, next to a ticker
 * child that keeps running until it is killed. Returns the report's
 * length. */
ssize_t run_with_ticker(const char *job, int helper)
{
  int res[2];
  pid_t worker, ticker;
  ssize_t n;

  if (pipe(res) < 0)
    return -1;
  worker = fork();
  if (worker < 0) {
    close(res[0]);
    close(res[1]);
    return -1;
  }
  if (worker == 0) {
    close(res[0]);
    dprintf(res[1], "%s done\n", job);
    _exit(0);
  }
  ticker = fork();
  if (ticker == 0) {
    close(res[0]);
    if (helper)
      tick_forever(1);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child process 'ticker' never ends: it runs 'tick_forever', which never returns, still holding write end 'res[1]' of the pipe, which it never uses; readers of the pipe never see end-of-file while it runs; close 'res[1]' in the child before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
    // CHECK-MESSAGES: :[[@LINE-8]]:12: note: the child is forked here
    for (;;)
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'ticker' never ends: it runs this endless loop still holding write end 'res[1]' of the pipe, which it never uses; readers of the pipe never see end-of-file while it runs; close 'res[1]' in the child before the loop [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-24]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-22]]:7: note: taking the false branch
      // CHECK-MESSAGES: :[[@LINE-13]]:12: note: the child is forked here
      sleep(1);
  }
  close(res[1]);
  n = drain(res[0]);
  close(res[0]);
  if (ticker > 0) {
    kill(ticker, SIGTERM);
    waitpid(ticker, NULL, 0);
  }
  waitpid(worker, NULL, 0);
  return n;
}

/* ---- 3. reading a child's output while holding its standard input ----- */

/* dup2() that ends the child when it fails: a dup2 wrapper. */
static void xdup2(int from, int to)
{
  if (dup2(from, to) < 0) {
    perror("dup2");
    _exit(126);
  }
}

/* Sorts 'text' with sort(1); returns how many bytes come back. */
ssize_t sort_text(const char *text)
{
  int in[2], out[2];
  pid_t pid;
  ssize_t n;

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
    xdup2(in[0], 0);
    xdup2(out[1], 1);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("sort", "sort", (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], text, strlen(text));
  n = drain(out[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'drain' waits for end-of-file on the output of child process 'pid' while this process still holds write end 'in[1]' of that child's standard input; the child waits for end-of-file on its input and never finishes, so both wait forever; close 'in[1]' before reading the child's output [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-30]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-23]]:7: note: taking the false branch
  close(in[1]);
  close(out[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* ---- 5. duplicates made through a dup() wrapper ------------------------ */

/* dup() that ends the program when it fails: a dup wrapper. */
static int xdup(int fd)
{
  int copy = dup(fd);

  if (copy < 0) {
    perror("dup");
    exit(1);
  }
  return copy;
}

/* Returns the read end of a pipe that holds 'msg', written through a
 * duplicate of the write end. */
int message_pipe(const char *msg)
{
  int fds[2];
  int copy;

  if (pipe(fds) < 0)
    return -1;
  copy = xdup(fds[1]);
  close(fds[1]);
  if (*msg == '\0')
    return fds[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'copy' of the pipe is still open when 'message_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:10: note: duplicate created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(copy, "%s\n", msg);
  close(copy);
  return fds[0];
}

/* A reader child, and a program started next to it with the duplicate
 * still open. */
int notify_copy_and_launch(const char *msg, char *const prog[])
{
  int fds[2];
  int log;
  pid_t reader, launcher;
  int status = -1;

  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  reader = fork();
  if (reader < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (reader == 0) {
    close(fds[1]);
    drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  /* dup() clears O_CLOEXEC: the copy is inherited. */
  log = xdup(fds[1]);
  close(fds[1]);
  launcher = fork();
  if (launcher == 0) {
    execvp(prog[0], prog);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'log' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:9: note: duplicate created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    _exit(127);
  }
  dprintf(log, "%s\n", msg);
  close(log);
  waitpid(reader, &status, 0);
  if (launcher > 0)
    waitpid(launcher, NULL, WNOHANG);
  return status;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *sleeper[] = {"sleep", "30", NULL};
  char *quick[] = {"true", NULL};
  char *daemonish[] = {"sh", "-c", "echo started; sleep 30 >/dev/null &", NULL};
  char *echo[] = {"echo", "hello", NULL};

  if (strcmp(s, "helper-system") == 0)
    return run_logged("sleep 30 &") != 0;
  if (strcmp(s, "helper-system-ok") == 0)
    return run_logged("true") != 0;
  if (strcmp(s, "helper-header") == 0)
    return run_logged_header("sleep 30 &") != 0;
  if (strcmp(s, "helper-spawn") == 0)
    return launch_logged(sleeper) != 0;
  if (strcmp(s, "helper-spawn-ok") == 0)
    return launch_logged(quick) != 0;
  if (strcmp(s, "helper-out-params") == 0)
    return notify_and_launch("hello", sleeper) != 0;
  if (strcmp(s, "spawn-dup2") == 0)
    return spawn_count(daemonish) <= 0;
  if (strcmp(s, "spawn-dup2-ok") == 0)
    return spawn_count(echo) <= 0;
  if (strcmp(s, "ticker") == 0)
    return run_with_ticker("build", 0) <= 0;
  if (strcmp(s, "ticker-helper") == 0)
    return run_with_ticker("build", 1) <= 0;
  if (strcmp(s, "sort-stdin") == 0)
    return sort_text("b\na\n") != 4;
  if (strcmp(s, "xdup-early") == 0)
    return drain(message_pipe("")) != 0;
  if (strcmp(s, "xdup-early-ok") == 0)
    return drain(message_pipe("hi")) != 3;
  if (strcmp(s, "xdup-exec") == 0)
    return notify_copy_and_launch("hello", sleeper) != 0;
  if (strcmp(s, "xdup-exec-ok") == 0)
    return notify_copy_and_launch("hello", quick) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

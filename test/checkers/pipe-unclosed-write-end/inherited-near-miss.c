// The near-miss twins of inherited.c: the same shapes with the write end
// made close-on-exec, closed before the program starts or before the loop,
// closed by a spawn file action, or never exec'd with. pipe-unclosed-write-end
// must report nothing here, and every scenario finishes: the readers see
// end-of-file although the programs started run on (sleep 30 in the
// background) or the children stay alive.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s helper-cloexec exit
// RUN: %run_example %s helper-closes-first exit
// RUN: %run_example %s helper-fcntl exit
// RUN: %run_example %s helper-no-exec exit
// RUN: %run_example %s spawn-addclose exit
// RUN: %run_example %s ticker-closes exit
// RUN: %run_example %s worker-exits exit
// RUN: %run_example %s bounded-retries exit
// RUN: %run_example %s ticker-killed-first exit
// RUN: %run_example %s sort-closes-stdin exit
// RUN: %run_example %s xdup-closed exit

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

extern char **environ;

static ssize_t drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* ---- 1. helpers' pipes ------------------------------------------------- */

/* The pipe is close-on-exec: a program started later does not get it. */
static int make_pipe_cloexec(int fds[2])
{
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  return 0;
}

/* No O_CLOEXEC, but every caller below closes the write end before it
 * starts a program, sets FD_CLOEXEC, or starts none. */
static int make_pipe(int fds[2])
{
  if (pipe(fds) < 0)
    return -1;
  return 0;
}

/* The logger child of each function below: it reads fds[0] to
 * end-of-file. Inlined (a helper that forks would take the ends out of the
 * caller's view, and the silence would prove nothing). */
#define START_LOGGER(fds, logger)                                              \
  do {                                                                         \
    (logger) = fork();                                                         \
    if ((logger) < 0) {                                                        \
      close((fds)[0]);                                                         \
      close((fds)[1]);                                                         \
      return -1;                                                               \
    }                                                                          \
    if ((logger) == 0) {                                                       \
      close((fds)[1]);                                                         \
      drain((fds)[0]);                                                         \
      _exit(0);                                                                \
    }                                                                          \
    close((fds)[0]);                                                           \
  } while (0)

/* The pipe is close-on-exec: 'cmd' does not inherit it. */
static int run_logged_cloexec(const char *cmd)
{
  int fds[2];
  pid_t logger;
  int status = -1;

  if (make_pipe_cloexec(fds) < 0)
    return -1;
  START_LOGGER(fds, logger);
  dprintf(fds[1], "running %s\n", cmd);
  system(cmd);
  close(fds[1]);
  waitpid(logger, &status, 0);
  return status;
}

/* The write end is closed before 'cmd' starts. */
static int run_logged_closed(const char *cmd)
{
  int fds[2];
  pid_t logger;
  int status = -1;

  if (make_pipe(fds) < 0)
    return -1;
  START_LOGGER(fds, logger);
  dprintf(fds[1], "running %s\n", cmd);
  close(fds[1]);
  system(cmd);
  waitpid(logger, &status, 0);
  return status;
}

/* The caller sets FD_CLOEXEC on the end it got. */
static int run_logged_fcntl(const char *cmd)
{
  int fds[2];
  pid_t logger;
  int status = -1;

  if (make_pipe(fds) < 0)
    return -1;
  if (fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  START_LOGGER(fds, logger);
  dprintf(fds[1], "running %s\n", cmd);
  system(cmd);
  close(fds[1]);
  waitpid(logger, &status, 0);
  return status;
}

/* make_pipe() for a caller that starts no program. */
static ssize_t echo_through_pipe(const char *msg)
{
  int fds[2];
  ssize_t n;

  if (make_pipe(fds) < 0)
    return -1;
  dprintf(fds[1], "%s\n", msg);
  close(fds[1]);
  n = drain(fds[0]);
  close(fds[0]);
  return n;
}

/* ---- 4. adddup2() followed by addclose() -------------------------------- */

static ssize_t spawn_count(char *const argv[])
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
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
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

/* ---- 2. forked children that close the end, or end soon ---------------- */

static void tick_forever(unsigned secs)
{
  for (;;)
    sleep(secs);
}

/* 'how': 0 the ticker closes res[1] first, 1 the second child exits at
 * once, 2 it retries a bounded number of times and exits. */
static ssize_t run_with_ticker(const char *job, int how)
{
  int res[2];
  pid_t worker, ticker;
  ssize_t n;
  int tries;

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
    if (how == 0) {
      close(res[1]);
      tick_forever(1);
    }
    if (how == 1)
      _exit(0);
    for (tries = 0; tries < 3; tries++)
      usleep(1000);
    _exit(0);
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

/* The ticker keeps res[1] forever, but it is killed and reaped before the
 * report is read: nothing is left holding the write end then. */
static ssize_t run_ticker_first(const char *job)
{
  int res[2];
  pid_t ticker;
  ssize_t n;

  if (pipe(res) < 0)
    return -1;
  ticker = fork();
  if (ticker < 0) {
    close(res[0]);
    close(res[1]);
    return -1;
  }
  if (ticker == 0) {
    close(res[0]);
    for (;;)
      sleep(1);
  }
  kill(ticker, SIGTERM);
  waitpid(ticker, NULL, 0);
  dprintf(res[1], "%s done\n", job);
  close(res[1]);
  n = drain(res[0]);
  close(res[0]);
  return n;
}

/* ---- 3. the child's standard input closed before its output is read ---- */

static ssize_t sort_text(const char *text)
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
    dup2(in[0], 0);
    dup2(out[1], 1);
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
  close(in[1]);
  n = drain(out[0]);
  close(out[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* ---- 5. a duplicate made by a wrapper, closed on every path ------------ */

static int xdup(int fd)
{
  int copy = dup(fd);

  if (copy < 0) {
    perror("dup");
    exit(1);
  }
  return copy;
}

static int message_pipe(const char *msg)
{
  int fds[2];
  int copy;

  if (pipe(fds) < 0)
    return -1;
  copy = xdup(fds[1]);
  close(fds[1]);
  if (*msg == '\0') {
    close(copy);
    return fds[0];
  }
  dprintf(copy, "%s\n", msg);
  close(copy);
  return fds[0];
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *daemonish[] = {"sh", "-c", "echo started; sleep 30 >/dev/null &", NULL};

  if (strcmp(s, "helper-cloexec") == 0)
    return run_logged_cloexec("sleep 30 &") != 0;
  if (strcmp(s, "helper-closes-first") == 0)
    return run_logged_closed("sleep 30 &") != 0;
  if (strcmp(s, "helper-fcntl") == 0)
    return run_logged_fcntl("sleep 30 &") != 0;
  if (strcmp(s, "helper-no-exec") == 0)
    return echo_through_pipe("hello") != 6;
  if (strcmp(s, "spawn-addclose") == 0)
    return spawn_count(daemonish) <= 0;
  if (strcmp(s, "ticker-closes") == 0)
    return run_with_ticker("build", 0) <= 0;
  if (strcmp(s, "worker-exits") == 0)
    return run_with_ticker("build", 1) <= 0;
  if (strcmp(s, "bounded-retries") == 0)
    return run_with_ticker("build", 2) <= 0;
  if (strcmp(s, "ticker-killed-first") == 0)
    return run_ticker_first("build") <= 0;
  if (strcmp(s, "sort-closes-stdin") == 0)
    return sort_text("b\na\n") != 4;
  if (strcmp(s, "xdup-closed") == 0)
    return drain(message_pipe("")) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

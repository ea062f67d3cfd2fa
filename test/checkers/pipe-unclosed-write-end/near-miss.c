// Code that handles pipe write ends correctly, or hands them to someone the
// check cannot see: pipe-unclosed-write-end must not report anything here
// (nor in the included header, shown with -header-filter). Every scenario
// terminates: the readers in it see end-of-file.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -header-filter=.* -- -I %S
// RUN: %run_example %s goto-cleanup exit
// RUN: %run_example %s goto-cleanup-fails exit
// RUN: %run_example %s out-param exit
// RUN: %run_example %s global exit
// RUN: %run_example %s returned exit
// RUN: %run_example %s unknown-function exit
// RUN: %run_example %s dup-fdopen exit
// RUN: %run_example %s dup2-close exit
// RUN: %run_example %s pipe2-cloexec exit
// RUN: %run_example %s file-actions exit
// RUN: %run_example %s close-loop exit
// RUN: %run_example %s temp-failure-retry exit
// RUN: %run_example %s header exit
// RUN: %run_example %s ok-flag exit
// RUN: %run_example %s switch-fork exit
// RUN: %run_example %s noreturn exit
// RUN: %run_example %s abort-path abort
// RUN: %run_example %s owner exit
// RUN: %run_example %s owner-early exit
// RUN: %run_example %s probe-cleanup exit
// RUN: %run_example %s socketpair exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/pipe-helpers.h"

extern char **environ;

/* Defined at the end of this file; to the check it is an unknown function
 * that takes over the descriptor. */
int register_log_writer(int fd);

static void fatal(const char *what) __attribute__((noreturn));

/* Runs 'cmd' with sh -c and copies its output to 'dest'. Returns 0, or -1 on
 * any failure. One cleanup label closes whatever is open. */
int copy_command_output(const char *cmd, int dest)
{
  int rc = -1;
  int fds[2] = {-1, -1};
  pid_t pid = -1;
  char buf[512];
  ssize_t n;

  if (pipe(fds) < 0)
    goto out;
  pid = fork();
  if (pid < 0)
    goto out;
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  fds[1] = -1;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    if (write_all(dest, buf, (size_t)n) < 0)
      goto out;
  }
  if (n == 0)
    rc = 0;
out:
  if (fds[0] >= 0)
    close(fds[0]);
  if (fds[1] >= 0)
    close(fds[1]);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return rc;
}

struct channel {
  int rfd;
  int wfd;
};

/* Opens a channel; the caller owns both ends. */
int channel_open(struct channel *ch)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  ch->rfd = fds[0];
  ch->wfd = fds[1];
  return 0;
}

/* The self-pipe that wakes the event loop. */
static int wakeup_rfd = -1;
static int wakeup_wfd = -1;

int wakeup_init(void)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  wakeup_rfd = fds[0];
  wakeup_wfd = fds[1];
  return 0;
}

/* Starts a child that consumes what is written into the pipe; returns the
 * write end for the caller to feed and close, and the pid in *pidp. */
int start_sink(pid_t *pidp)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[1]);
    pipe_drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  *pidp = pid;
  return fds[1];
}

static int log_rfd = -1;

/* Sets up the log pipe: the logger owns the write end from now on. */
int start_logging(void)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  if (register_log_writer(fds[1]) < 0) {
    close(fds[0]);
    return -1;
  }
  log_rfd = fds[0];
  return 0;
}

/* Writes a header through stdio, on a duplicate of the write end, and then
 * the payload through fds[1] itself. *rfd gets the read end. */
int write_framed(int *rfd, const char *header, const char *payload)
{
  int fds[2];
  int copy;
  FILE *f;
  size_t len = strlen(payload);

  if (pipe(fds) < 0)
    return -1;
  copy = dup(fds[1]);
  if (copy < 0)
    goto fail;
  f = fdopen(copy, "w");
  if (f == NULL) {
    close(copy);
    goto fail;
  }
  fprintf(f, "%s\n", header);
  if (fclose(f) != 0)
    goto fail;
  if (write(fds[1], payload, len) != (ssize_t)len)
    goto fail;
  close(fds[1]);
  *rfd = fds[0];
  return 0;
fail:
  close(fds[0]);
  close(fds[1]);
  return -1;
}

/* Calls fn with its standard output captured into a pipe; returns the number
 * of bytes it printed, or -1. */
ssize_t capture_stdout(void (*fn)(void))
{
  int fds[2];
  int saved;
  ssize_t n;

  fflush(stdout);
  saved = dup(STDOUT_FILENO);
  if (saved < 0)
    return -1;
  if (pipe(fds) < 0) {
    close(saved);
    return -1;
  }
  if (dup2(fds[1], STDOUT_FILENO) < 0) {
    close(fds[0]);
    close(fds[1]);
    close(saved);
    return -1;
  }
  close(fds[1]);
  fn();
  fflush(stdout);
  /* Restoring standard output closes the last write descriptor. */
  dup2(saved, STDOUT_FILENO);
  close(saved);
  n = pipe_drain(fds[0]);
  close(fds[0]);
  return n;
}

/* Runs a hook with system() while a logger child reads the progress
 * messages. The pipe is close-on-exec, so the hook does not inherit it. */
int run_hook_logged(const char *hook)
{
  int fds[2];
  pid_t logger;
  int status;

  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  logger = fork();
  if (logger < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (logger == 0) {
    close(fds[1]);
    pipe_drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  dprintf(fds[1], "running %s\n", hook);
  status = system(hook);
  dprintf(fds[1], "%s finished\n", hook);
  close(fds[1]);
  waitpid(logger, NULL, 0);
  return status;
}

/* Runs argv with 'input' on its standard input; returns its wait status. */
int feed_program(char *const argv[], const char *input)
{
  int fds[2];
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status = -1;

  if (pipe(fds) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(fds[0]);
  dprintf(fds[1], "%s", input);
  close(fds[1]);
  waitpid(pid, &status, 0);
  return status;
}

/* Returns the capacity of a new pipe in bytes, or -1. */
long pipe_capacity(void)
{
  static const char block[1024];
  int fds[2];
  int i;
  long total = 0;
  ssize_t n;

  if (pipe2(fds, O_NONBLOCK) < 0)
    return -1;
  while ((n = write(fds[1], block, sizeof block)) > 0)
    total += n;
  for (i = 0; i < 2; i++)
    close(fds[i]);
  return total;
}

/* Sends 'msg' to a reader child and waits for it; retries on EINTR. */
int notify_child(const char *msg)
{
  int fds[2];
  pid_t pid;
  int status = -1;
  size_t len = strlen(msg);

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[1]);
    pipe_drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  if (TEMP_FAILURE_RETRY(write(fds[1], msg, len)) != (ssize_t)len) {
    TEMP_FAILURE_RETRY(close(fds[1]));
    TEMP_FAILURE_RETRY(waitpid(pid, NULL, 0));
    return -1;
  }
  TEMP_FAILURE_RETRY(close(fds[1]));
  TEMP_FAILURE_RETRY(waitpid(pid, &status, 0));
  return status;
}

/* Counts the bytes of 's' as a reader of a pipe sees them. */
ssize_t count_through_pipe(const char *s)
{
  int r = pipe_from_string(s);
  ssize_t n;

  if (r < 0)
    return -1;
  n = pipe_drain(r);
  close(r);
  return n;
}

/* Checks that a message survives a trip through a pipe, if a pipe can be
 * made at all; returns 1 if it did, 0 if not, -1 if there was no pipe. */
int pipe_roundtrip(const char *msg)
{
  int fds[2];
  char buf[128];
  size_t len = strlen(msg);
  int ok = pipe(fds) == 0;
  int same = -1;

  if (ok) {
    same = 0;
    if (len <= sizeof buf && write(fds[1], msg, len) == (ssize_t)len &&
        read(fds[0], buf, sizeof buf) == (ssize_t)len)
      same = memcmp(buf, msg, len) == 0;
  }
  if (ok) {
    close(fds[0]);
    close(fds[1]);
  }
  return same;
}

/* Runs 'cmd' with sh -c and 'input' on its standard input; returns its wait
 * status, or -1. */
int run_with_input(const char *cmd, const char *input)
{
  int fds[2];
  pid_t pid;
  int status = -1;

  if (pipe(fds) < 0)
    return -1;
  switch (pid = fork()) {
  case -1:
    close(fds[0]);
    close(fds[1]);
    return -1;
  case 0:
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  default:
    close(fds[0]);
    dprintf(fds[1], "%s", input);
    close(fds[1]);
    break;
  }
  waitpid(pid, &status, 0);
  return status;
}

/* Sends the configuration to a reader child; every failure is fatal. */
void send_config_or_die(const char *config)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    fatal("pipe");
  if (config == NULL)
    abort(); /* a bug in the caller */
  pid = fork();
  if (pid < 0)
    fatal("fork");
  if (pid == 0) {
    close(fds[1]);
    pipe_drain(fds[0]);
    _exit(0);
  }
  close(fds[0]);
  if (dprintf(fds[1], "%s\n", config) < 0)
    exit(EXIT_FAILURE);
  close(fds[1]);
  waitpid(pid, NULL, 0);
}

/* Writes the records to fd and closes fd, which the caller hands over, on
 * every path. */
int send_records(int fd, const char *const records[], size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    if (strchr(records[i], '\n') != NULL) {
      close(fd);
      errno = EINVAL;
      return -1;
    }
    if (dprintf(fd, "%s\n", records[i]) < 0) {
      close(fd);
      return -1;
    }
  }
  close(fd);
  return 0;
}

/* Asks a forked helper a question over a socket pair and returns the length
 * of its answer, or -1. */
ssize_t ask_helper(const char *question)
{
  int sv[2];
  pid_t pid;
  ssize_t n;

  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  if (pid == 0) {
    char buf[256];
    ssize_t k;
    close(sv[0]);
    k = read(sv[1], buf, sizeof buf);
    if (k > 0)
      write(sv[1], buf, (size_t)k);
    close(sv[1]);
    _exit(0);
  }
  close(sv[1]);
  dprintf(sv[0], "%s", question);
  shutdown(sv[0], SHUT_WR);
  n = pipe_drain(sv[0]);
  close(sv[0]);
  waitpid(pid, NULL, 0);
  return n;
}

/* ---- scenarios ---------------------------------------------------------- */

/* Runs one of several candidate commands and reads a number from it. The
 * array starts as {-1, -1}, so paths before pipe() reach the shared cleanup
 * with -1 in it; a created end is never -1, so `fds[1] != -1` is true
 * wherever the pipe exists and the cleanup closes it. (A corpus false
 * positive once: the loop made the paths meet before the test.) */
int probe_number(int *out)
{
  const char *candidates[] = {"/nonexistent/echo", "/usr/bin/echo", "/bin/echo"};
  int fds[] = {-1, -1};
  const char *cmd = NULL;
  FILE *stream = NULL;
  int i;

  if (!out)
    goto nothing;
  for (i = 0; i < 3; i++) {
    struct stat sb;
    if (stat(candidates[i], &sb) == 0 && (sb.st_mode & S_IXUSR)) {
      cmd = candidates[i];
      break;
    }
  }
  if (!cmd)
    goto nothing;
  if (pipe(fds) < 0)
    goto nothing;
  switch (fork()) {
  case 0:
    close(fds[0]);
    if (fds[1] != STDOUT_FILENO)
      dup2(fds[1], STDOUT_FILENO);
    execl(cmd, cmd, "42", (char *)NULL);
    _exit(127);
  case -1:
    goto nothing;
  default:
    break;
  }
  stream = fdopen(fds[0], "r");
  if (!stream)
    goto nothing;
  /* One number and its newline: no need to see end-of-file first. */
  if (fscanf(stream, "%d", out) != 1)
    goto nothing;
  fclose(stream);
  close(fds[1]);
  wait(NULL);
  return 0;

nothing:
  if (stream)
    fclose(stream);
  else if (fds[0] != -1)
    close(fds[0]);
  if (fds[1] != -1)
    close(fds[1]);
  return 1;
}

static void fatal(const char *what)
{
  perror(what);
  exit(EXIT_FAILURE);
}

static void print_banner(void)
{
  printf("banner\n");
}

static int scenario_channel(void)
{
  struct channel ch;

  if (channel_open(&ch) < 0)
    return 1;
  dprintf(ch.wfd, "ping\n");
  close(ch.wfd);
  /* The read end is non-blocking; the data is already there. */
  fcntl(ch.rfd, F_SETFL, 0);
  pipe_drain(ch.rfd);
  close(ch.rfd);
  return 0;
}

static int scenario_global(void)
{
  if (wakeup_init() < 0)
    return 1;
  write(wakeup_wfd, "w", 1);
  close(wakeup_wfd);
  pipe_drain(wakeup_rfd);
  close(wakeup_rfd);
  return 0;
}

static int scenario_sink(void)
{
  pid_t pid;
  int w = start_sink(&pid);

  if (w < 0)
    return 1;
  dprintf(w, "data for the sink\n");
  close(w);
  return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}

static int scenario_logging(void)
{
  if (start_logging() < 0)
    return 1;
  pipe_drain(log_rfd);
  close(log_rfd);
  return 0;
}

static int scenario_framed(void)
{
  int r;

  if (write_framed(&r, "# header", "payload\n") < 0)
    return 1;
  pipe_drain(r);
  close(r);
  return 0;
}

static int scenario_records(int bad)
{
  const char *const good[] = {"alpha", "beta"};
  const char *const broken[] = {"alpha", "be\nta"};
  int fds[2];

  if (pipe(fds) < 0)
    return 1;
  send_records(fds[1], bad ? broken : good, 2);
  pipe_drain(fds[0]);
  close(fds[0]);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *cat[] = {"cat", NULL};
  int wake[2];

  /* A pipe for the whole run; leaving main closes it. */
  if (pipe(wake) < 0)
    return 1;
  if (strcmp(s, "goto-cleanup") == 0)
    return copy_command_output("echo hello", STDOUT_FILENO) != 0;
  if (strcmp(s, "goto-cleanup-fails") == 0)
    return copy_command_output("echo hello", -1) != -1;
  if (strcmp(s, "out-param") == 0)
    return scenario_channel();
  if (strcmp(s, "global") == 0)
    return scenario_global();
  if (strcmp(s, "returned") == 0)
    return scenario_sink();
  if (strcmp(s, "unknown-function") == 0)
    return scenario_logging();
  if (strcmp(s, "dup-fdopen") == 0)
    return scenario_framed();
  if (strcmp(s, "dup2-close") == 0)
    return capture_stdout(print_banner) != 7;
  if (strcmp(s, "pipe2-cloexec") == 0)
    return run_hook_logged("sleep 3 </dev/null >/dev/null 2>&1 &") != 0;
  if (strcmp(s, "file-actions") == 0)
    return feed_program(cat, "hello\n") != 0;
  if (strcmp(s, "close-loop") == 0)
    return pipe_capacity() <= 0;
  if (strcmp(s, "temp-failure-retry") == 0)
    return notify_child("hello\n") != 0;
  if (strcmp(s, "header") == 0)
    return count_through_pipe("hello\n") != 6;
  if (strcmp(s, "ok-flag") == 0)
    return pipe_roundtrip("hello") != 1;
  if (strcmp(s, "switch-fork") == 0)
    return run_with_input("cat >/dev/null", "hello\n") != 0;
  if (strcmp(s, "noreturn") == 0) {
    send_config_or_die("verbose=1");
    return 0;
  }
  if (strcmp(s, "abort-path") == 0) {
    send_config_or_die(NULL);
    return 0;
  }
  if (strcmp(s, "owner") == 0)
    return scenario_records(0);
  if (strcmp(s, "owner-early") == 0)
    return scenario_records(1);
  if (strcmp(s, "probe-cleanup") == 0) {
    int v = 0;
    return probe_number(&v) != 0 || v != 42;
  }
  if (strcmp(s, "socketpair") == 0)
    return ask_helper("hello?") != 6;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

/* Takes over the log pipe's write end. A real logger would keep it for a
 * thread of its own; this one writes its banner and is done with it. */
static int log_writer_fd = -1;

int register_log_writer(int fd)
{
  if (fd < 0)
    return -1;
  log_writer_fd = fd;
  dprintf(log_writer_fd, "log started\n");
  close(log_writer_fd);
  log_writer_fd = -1;
  return 0;
}

/* `cap == 0 || pipe(p) < 0`: neither way into the branch creates a pipe.
 * The branch is decided by the last operand alone (the first one was false
 * to get there); judging the whole `||` with an unknown `cap` sent the
 * created pipe into the early return. */
long read_capped(char *out, size_t cap)
{
  int p[2];
  ssize_t n;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  if (write(p[1], "x", 1) != 1) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  n = read(p[0], out, cap);
  close(p[0]);
  return n;
}

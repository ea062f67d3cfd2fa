// Code that reads pipes it writes without blocking itself: the write end is
// closed, handed to a thread, a child or a signal handler first; the read
// waits with poll() or select(), or does not block at all; the writes fit in
// the pipe or someone else reads them. pipe-self-deadlock must not report
// anything here. Every scenario terminates.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s fork-exec exit
// RUN: %run_example %s fgets-command exit
// RUN: %run_example %s exec-error-pipe exit
// RUN: %run_example %s exec-error-pipe-fails exit
// RUN: %run_example %s spawn exit
// RUN: %run_example %s thread-writer exit
// RUN: %run_example %s handed-off exit
// RUN: %run_example %s poll-timeout exit
// RUN: %run_example %s select-timeout exit
// RUN: %run_example %s epoll-timeout exit
// RUN: %run_example %s nonblocking-drain exit
// RUN: %run_example %s fcntl-nonblock exit
// RUN: %run_example %s socketpair-nonblock exit
// RUN: %run_example %s wakeup-byte exit
// RUN: %run_example %s read-line exit
// RUN: %run_example %s counted-reads exit
// RUN: %run_example %s closed-before-loop exit
// RUN: %run_example %s stream-closed exit
// RUN: %run_example %s capacity exit
// RUN: %run_example %s child-consumer exit
// RUN: %run_example %s socketpair-rpc exit
// RUN: %run_example %s self-pipe exit
// RUN: %run_example %s self-pipe-local exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Defined at the end of this file; to the check it is an unknown function
 * that takes over the descriptor. */
int start_greeter(int fd);

/* ---- the write end is closed, or held by someone else, before the read --- */

/* Runs 'cmd' with sh -c and returns how many bytes it prints. */
ssize_t output_size(const char *cmd)
{
  int fds[2];
  char buf[512];
  ssize_t n, total = 0;
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
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(fds[1]); /* the parent only reads */
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

/* Counts the lines that 'cmd' prints, reading them with fgets(). */
int count_lines(const char *cmd)
{
  int fds[2];
  char line[256];
  int lines = 0;
  FILE *in;
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
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  in = fdopen(fds[0], "r");
  if (in == NULL) {
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return -1;
  }
  while (fgets(line, sizeof line, in) != NULL)
    lines++;
  fclose(in);
  waitpid(pid, NULL, 0);
  return lines;
}

/* Starts 'argv' and reports whether exec() worked: the child writes errno
 * to a close-on-exec pipe when exec() fails, and a successful exec() closes
 * the child's copy. The parent's read returns 0 (end-of-file) on success. */
pid_t spawn_checked(char *const argv[], int *exec_errno)
{
  int fds[2];
  int err = 0;
  ssize_t n;
  pid_t pid;

  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    execvp(argv[0], argv);
    err = errno;
    write(fds[1], &err, sizeof err);
    _exit(127);
  }
  close(fds[1]);
  do
    n = read(fds[0], &err, sizeof err);
  while (n < 0 && errno == EINTR);
  close(fds[0]);
  *exec_errno = n == (ssize_t)sizeof err ? err : 0;
  return pid;
}

/* Runs 'cmd' with posix_spawn(), its standard output going to a pipe, and
 * returns how many bytes it prints. */
ssize_t spawn_output_size(const char *cmd)
{
  char *argv[] = {"sh", "-c", (char *)cmd, NULL};
  posix_spawn_file_actions_t fa;
  int fds[2];
  char buf[512];
  ssize_t n, total = 0;
  pid_t pid;
  int rc;

  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
}

struct sum_job {
  long n;
  int fd; /* the worker sends the partial sums here and closes it */
};

static void *sum_worker(void *arg)
{
  struct sum_job *job = arg;
  long i, sum = 0;

  for (i = 1; i <= job->n; i++) {
    sum += i;
    write(job->fd, &sum, sizeof sum);
  }
  close(job->fd);
  return NULL;
}

/* Returns the last of the partial sums that a worker thread sends. */
long last_partial_sum(long n)
{
  int fds[2];
  struct sum_job job;
  pthread_t tid;
  long sum, last = -1;

  if (pipe(fds) < 0)
    return -1;
  job.n = n;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, sum_worker, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  while (read(fds[0], &sum, sizeof sum) == (ssize_t)sizeof sum)
    last = sum;
  pthread_join(tid, NULL);
  close(fds[0]);
  return last;
}

/* Reads the greeting of a writer that start_greeter() takes over. */
ssize_t read_greeting(char *buf, size_t size)
{
  int fds[2];
  ssize_t n, total = 0;

  if (pipe(fds) < 0)
    return -1;
  if (start_greeter(fds[1]) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  while ((n = read(fds[0], buf + total, size - total)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

/* ---- the read waits for readiness, or does not block ---------------------- */

/* Waits up to 'ms' milliseconds for a byte on a new notification pipe.
 * Returns the byte, or -1 when nothing came. */
int wait_notification(int ms)
{
  int fds[2];
  struct pollfd p;
  char c = -1;

  if (pipe(fds) < 0)
    return -1;
  p.fd = fds[0];
  p.events = POLLIN;
  if (poll(&p, 1, ms) > 0 && read(fds[0], &c, 1) != 1)
    c = -1;
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* The same with select(). */
int wait_notification_select(int ms)
{
  int fds[2];
  fd_set readable;
  struct timeval tv = {0, ms * 1000};
  char c = -1;

  if (pipe(fds) < 0)
    return -1;
  FD_ZERO(&readable);
  FD_SET(fds[0], &readable);
  if (select(fds[0] + 1, &readable, NULL, NULL, &tv) > 0)
    read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* The same with epoll. */
int wait_notification_epoll(int ms)
{
  int fds[2], ep;
  struct epoll_event ev = {0}, got;
  char c = -1;

  if (pipe(fds) < 0)
    return -1;
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  ev.events = EPOLLIN;
  epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
  if (epoll_wait(ep, &got, 1, ms) == 1)
    read(fds[0], &c, 1);
  close(ep);
  close(fds[0]);
  close(fds[1]);
  return c;
}

/* Drains whatever wake-up bytes are pending on a non-blocking pipe: the
 * loop ends with EAGAIN, not with end-of-file. */
int drain_wakeups(int pending)
{
  int fds[2];
  char buf[64];
  ssize_t n;
  int drained = 0;

  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
    return -1;
  if (pending)
    write(fds[1], "w", 1);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    drained += (int)n;
  close(fds[0]);
  close(fds[1]);
  return drained;
}

/* Tries to take a token from a new pipe without waiting. */
int try_take_token(void)
{
  int fds[2];
  char token;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  n = read(fds[0], &token, 1);
  close(fds[0]);
  close(fds[1]);
  return n == 1;
}

/* Checks for a pending message on a non-blocking socket pair. */
int socketpair_pending(void)
{
  int sv[2];
  char c;
  ssize_t n;

  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
    return -1;
  n = recv(sv[0], &c, 1, 0);
  close(sv[0]);
  close(sv[1]);
  return n == 1;
}

/* ---- what this thread wrote is there to read ---------------------------- */

/* Posts a wake-up byte and takes it back. */
int wakeup_roundtrip(void)
{
  int fds[2];
  char c = 0;

  if (pipe(fds) < 0)
    return -1;
  write(fds[1], "!", 1);
  read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return c == '!';
}

/* Passes a reply line through a pipe and reads it back up to the newline,
 * one byte at a time. */
int reply_line(char *line, size_t size)
{
  int fds[2];
  char c = 0;
  size_t len = 0;

  if (pipe(fds) < 0)
    return -1;
  dprintf(fds[1], "OK ready\n");
  while (c != '\n' && len + 1 < size) {
    if (read(fds[0], &c, 1) != 1)
      break;
    line[len++] = c;
  }
  line[len] = '\0';
  close(fds[0]);
  close(fds[1]);
  return (int)len;
}

/* Queues three one-byte commands and takes them back one by one. */
int command_queue(char cmds[3])
{
  int fds[2];
  int i;

  if (pipe(fds) < 0)
    return -1;
  write(fds[1], "a", 1);
  write(fds[1], "b", 1);
  write(fds[1], "c", 1);
  for (i = 0; i < 3; i++)
    read(fds[0], &cmds[i], 1);
  close(fds[0]);
  close(fds[1]);
  return 0;
}

struct item {
  const char *name;
  int value;
};

/* Renders the items as "name=value" lines through a pipe and reads the text
 * back; the write end is closed before the loop. */
ssize_t render_items(const struct item *items, size_t n, char *out,
                     size_t size)
{
  int fds[2];
  size_t i;
  ssize_t got, total = 0;

  if (pipe(fds) < 0)
    return -1;
  for (i = 0; i < n; i++)
    dprintf(fds[1], "%s=%d\n", items[i].name, items[i].value);
  close(fds[1]);
  while ((got = read(fds[0], out + total, size - total)) > 0)
    total += got;
  close(fds[0]);
  return total;
}

/* Writes the settings through a stdio stream and parses them back with
 * getline() after closing the writing stream. */
int reparse_settings(const struct item *items, size_t n)
{
  int fds[2];
  FILE *out, *in;
  char *line = NULL;
  size_t cap = 0, i;
  int count = 0;

  if (pipe(fds) < 0)
    return -1;
  out = fdopen(fds[1], "w");
  in = fdopen(fds[0], "r");
  if (out == NULL || in == NULL)
    abort();
  for (i = 0; i < n; i++)
    fprintf(out, "%s=%d\n", items[i].name, items[i].value);
  fclose(out);
  while (getline(&line, &cap, in) != -1)
    count++;
  free(line);
  fclose(in);
  return count;
}

/* Measures how many bytes a pipe holds: fills a non-blocking write end
 * until write() fails with EAGAIN, then takes one block back. */
long pipe_capacity(void)
{
  static char block[4096];
  int fds[2];
  ssize_t n;
  long total = 0;

  if (pipe(fds) < 0)
    return -1;
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  while ((n = write(fds[1], block, sizeof block)) > 0)
    total += n;
  read(fds[0], block, sizeof block);
  close(fds[0]);
  close(fds[1]);
  return total;
}

static char batch[100000];

/* Hands a batch larger than the pipe to a consumer child, then checks that
 * the child left nothing unread. The parent keeps a read end, so it is not
 * the only reader when the write blocks. */
long unread_after_consumer(void)
{
  char buf[512];
  int fds[2];
  ssize_t n;
  long left = 0;
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
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  write(fds[1], batch, sizeof batch);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    left += n;
  close(fds[0]);
  return left;
}

/* Asks a forked server for the square of 'x' over a socket pair: one
 * request, one reply, each side reads once. */
long remote_square(long x)
{
  int sv[2];
  long reply = -1;
  pid_t pid;

  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  if (pid == 0) {
    long req;
    close(sv[0]);
    if (read(sv[1], &req, sizeof req) == (ssize_t)sizeof req) {
      req *= req;
      write(sv[1], &req, sizeof req);
    }
    _exit(0);
  }
  close(sv[1]);
  write(sv[0], &x, sizeof x);
  read(sv[0], &reply, sizeof reply);
  close(sv[0]);
  waitpid(pid, NULL, 0);
  return reply;
}

/* ---- the self-pipe trick: a signal handler writes ------------------------ */

static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
  char c = (char)sig;
  int saved = errno;

  write(signal_pipe[1], &c, 1);
  errno = saved;
}

/* Waits for the next SIGUSR1; the handler reports it through the pipe. */
int wait_for_signal(void)
{
  char c = 0;

  if (pipe2(signal_pipe, O_CLOEXEC) < 0)
    return -1;
  signal(SIGUSR1, on_signal);
  raise(SIGUSR1);
  read(signal_pipe[0], &c, 1);
  return c == SIGUSR1;
}

static int wake_fd = -1;

static void on_wake(int sig)
{
  (void)sig;
  write(wake_fd, "w", 1);
}

/* The same with a local pipe whose write end the handler finds in a
 * global. */
int wait_for_wake(void)
{
  int fds[2];
  char c = 0;

  if (pipe(fds) < 0)
    return -1;
  wake_fd = fds[1];
  signal(SIGUSR2, on_wake);
  raise(SIGUSR2);
  read(fds[0], &c, 1);
  close(fds[0]);
  return c == 'w';
}

/* ---- scenarios ---------------------------------------------------------- */

static void *greeter(void *arg)
{
  int fd = (int)(long)arg;

  dprintf(fd, "hello from the greeter\n");
  close(fd);
  return NULL;
}

int start_greeter(int fd)
{
  pthread_t tid;

  if (pthread_create(&tid, NULL, greeter, (void *)(long)fd) != 0)
    return -1;
  return pthread_detach(tid);
}

static const struct item settings[] = {{"width", 80}, {"height", 24}};

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *good[] = {"true", NULL};
  char *bad[] = {"/nonexistent/program", NULL};
  static char buf[4096];
  char cmds[3];
  int err = -1;
  pid_t pid;

  if (strcmp(s, "fork-exec") == 0)
    return output_size("echo hello") != 6;
  if (strcmp(s, "fgets-command") == 0)
    return count_lines("printf 'a\\nb\\n'") != 2;
  if (strcmp(s, "exec-error-pipe") == 0) {
    pid = spawn_checked(good, &err);
    return !(pid > 0 && waitpid(pid, NULL, 0) == pid && err == 0);
  }
  if (strcmp(s, "exec-error-pipe-fails") == 0) {
    pid = spawn_checked(bad, &err);
    return !(pid > 0 && waitpid(pid, NULL, 0) == pid && err == ENOENT);
  }
  if (strcmp(s, "spawn") == 0)
    return spawn_output_size("echo hello") != 6;
  if (strcmp(s, "thread-writer") == 0)
    return last_partial_sum(10) != 55;
  if (strcmp(s, "handed-off") == 0)
    return read_greeting(buf, sizeof buf) <= 0;
  if (strcmp(s, "poll-timeout") == 0)
    return wait_notification(100) != -1;
  if (strcmp(s, "select-timeout") == 0)
    return wait_notification_select(100) != -1;
  if (strcmp(s, "epoll-timeout") == 0)
    return wait_notification_epoll(100) != -1;
  if (strcmp(s, "nonblocking-drain") == 0)
    return drain_wakeups(1) != 1 || drain_wakeups(0) != 0;
  if (strcmp(s, "fcntl-nonblock") == 0)
    return try_take_token() != 0;
  if (strcmp(s, "socketpair-nonblock") == 0)
    return socketpair_pending() != 0;
  if (strcmp(s, "wakeup-byte") == 0)
    return !wakeup_roundtrip();
  if (strcmp(s, "read-line") == 0)
    return reply_line(buf, sizeof buf) != 9;
  if (strcmp(s, "counted-reads") == 0)
    return command_queue(cmds) != 0 || memcmp(cmds, "abc", 3) != 0;
  if (strcmp(s, "closed-before-loop") == 0)
    return render_items(settings, 2, buf, sizeof buf) != 19;
  if (strcmp(s, "stream-closed") == 0)
    return reparse_settings(settings, 2) != 2;
  if (strcmp(s, "capacity") == 0)
    return pipe_capacity() < 4096;
  if (strcmp(s, "child-consumer") == 0)
    return unread_after_consumer() != 0;
  if (strcmp(s, "socketpair-rpc") == 0)
    return remote_square(12) != 144;
  if (strcmp(s, "self-pipe") == 0)
    return !wait_for_signal();
  if (strcmp(s, "self-pipe-local") == 0)
    return !wait_for_wake();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Positive findings of pipe-unclosed-write-end in C. Every finding comes with
// a scenario that takes the reported path and then reads the pipe to the end,
// which never comes: the run lines prove that the program hangs. The "-ok"
// scenarios take the same functions' good paths and terminate; the "-fixed"
// scenarios run fixed copies of a function on the same input and terminate,
// so the hang is the reported bug's and not the input's.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s early-return hang
// RUN: %run_example %s early-return-ok exit
// RUN: %run_example %s fork-fails hang
// RUN: %run_example %s fork-ok exit
// RUN: %run_example %s parent-keeps hang
// RUN: %run_example %s child-returns hang
// RUN: %run_example %s copy hang
// RUN: %run_example %s copy-ok exit
// RUN: %run_example %s goto hang
// RUN: %run_example %s goto-ok exit
// RUN: %run_example %s socketpair hang
// RUN: %run_example %s socketpair-ok exit
// RUN: %run_example %s dup hang
// RUN: %run_example %s dup-ok exit
// RUN: %run_example %s loop hang
// RUN: %run_example %s loop-ok exit
// RUN: %run_example %s owned-param hang
// RUN: %run_example %s owned-param-ok exit
// RUN: %run_example %s fall-off hang
// RUN: %run_example %s system hang
// RUN: %run_example %s system-ok exit
// RUN: %run_example %s system-fixed exit
// RUN: %run_example %s posix-spawnp hang
// RUN: %run_example %s posix-spawnp-fixed exit
// RUN: %run_example %s execvp hang
// RUN: %run_example %s execvp-fixed exit
// RUN: %run_example %s execvp-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Starts a producer: writes 'greeting' into a new pipe and gives the caller
 * the read end. */
int start_producer(int *rfd, const char *greeting)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (greeting == NULL) {
    errno = EINVAL;
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_producer' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  if (dprintf(fds[1], "%s\n", greeting) < 0) {
    close(fds[1]);
    return -1;
  }
  close(fds[1]);
  return 0;
}

struct monitor {
  int progress_fd; /* read by the monitor until end-of-file */
  pid_t worker;
};

/* Starts a worker process that reports its progress on a pipe that the
 * monitor reads. */
int start_monitored(struct monitor *m, unsigned steps)
{
  int fds[2];
  pid_t pid;
  unsigned i;

  if (pipe(fds) < 0)
    return -1;
  m->progress_fd = fds[0];
  pid = fork();
  if (pid < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_monitored' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if (pid == 0) {
    for (i = 0; i < steps; i++)
      dprintf(fds[1], "step %u\n", i);
    _exit(0);
  }
  close(fds[1]);
  m->worker = pid;
  return 0;
}

/* Runs 'cmd' with sh -c; returns how many bytes it prints, or -1. */
ssize_t count_output(const char *cmd)
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
  /* The parent never closes its copy of fds[1]: read() does not return 0. */
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'count_output' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-22]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-20]]:7: note: taking the false branch
}

/* Forks a worker that announces itself on a pipe; *rfd gets the read end.
 * Returns the worker's pid. */
pid_t start_announcer(int *rfd)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dprintf(fds[1], "worker %d ready\n", (int)getpid());
    return 0; /* should be _exit(0): the child runs on in the caller's code */
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_announcer' returns here in the child process of fork(); readers of the pipe never see end-of-file and block forever; close it, or end the child with _exit() [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  close(fds[1]);
  return pid;
}

/* Makes a pipe that already holds 'msg'; *rfd gets the read end. A message
 * longer than PIPE_BUF could block the caller, so it is refused. */
int preload_pipe(int *rfd, const char *msg, size_t len)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  int w = fds[1];
  if (len > PIPE_BUF) {
    errno = EMSGSIZE;
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'w' of the pipe is still open when 'preload_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  if (write(w, msg, len) != (ssize_t)len) {
    close(w);
    return -1;
  }
  close(w);
  return 0;
}

/* Sends 'req' through a new pipe whose read end goes to *rfd. */
int send_request(int *rfd, const char *req)
{
  int fds[2];
  int rc = -1;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (req[0] == '\0')
    goto out; /* should be 'goto out_close' */
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'send_request' returns after this goto; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if (write(fds[1], req, strlen(req)) < 0)
    goto out_close;
  rc = 0;
out_close:
  close(fds[1]);
out:
  return rc;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: then 'send_request' returns here
}

#define MAX_NAME 32

/* Connects a peer in this process and greets it; *peer gets the peer's end. */
int greet_peer(int *peer, const char *name)
{
  int sv[2];

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return -1;
  *peer = sv[1];
  if (strlen(name) > MAX_NAME) {
    errno = ENAMETOOLONG;
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: end 'sv[0]' of the socket pair is still open when 'greet_peer' returns here; its peer never sees end-of-file and blocks forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: socket pair created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  dprintf(sv[0], "hello %s\n", name);
  close(sv[0]);
  return 0;
}

/* Opens a log pipe shared by two writers: the caller, who gets fds[1] in
 * *wfd, and a duplicate of it that writes the header. *rfd gets the read
 * end. */
int open_shared_log(int *rfd, int *wfd, const char *header)
{
  int fds[2];
  int hdr;

  if (pipe(fds) < 0)
    return -1;
  hdr = dup(fds[1]);
  if (hdr < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  *rfd = fds[0];
  *wfd = fds[1];
  if (header == NULL)
    return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'hdr' of the pipe is still open when 'open_shared_log' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:9: note: duplicate created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(hdr, "%s\n", header);
  close(hdr);
  return 0;
}

#define MAX_LINE 80

/* Writes the lines into a new pipe; *rfd gets the read end. Refuses lines
 * longer than MAX_LINE. */
int feed_lines(int *rfd, const char *const lines[], size_t n)
{
  int fds[2];
  size_t i;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  for (i = 0; i < n; i++) {
    size_t len = strlen(lines[i]);
    if (len > MAX_LINE)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'feed_lines' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    if (write(fds[1], lines[i], len) < 0 || write(fds[1], "\n", 1) < 0)
      break;
  }
  close(fds[1]);
  return 0;
}

/* Writes each message to fd, then closes fd, which the caller hands over. */
int send_all(int fd, const char *const msgs[], size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    size_t len = strlen(msgs[i]);
    if (write(fd, msgs[i], len) != (ssize_t)len)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fd' is closed on another path but still open when 'send_all' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+3]]:3: note: 'fd' is closed here on another path
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
  }
  close(fd);
  return 0;
}

/* Fills a new pipe with 'ticks' tick lines; *rfd gets the read end. */
void start_ticker(int *rfd, unsigned ticks)
{
  int fds[2];
  unsigned i;

  *rfd = -1;
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  for (i = 0; i < ticks; i++)
    dprintf(fds[1], "tick %u\n", i);
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: write end 'fds[1]' of the pipe is still open when 'start_ticker' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:15: note: the loop condition is false: leaving the loop

/* Runs a hook command with sh -c while a logger child reads the progress
 * messages. Returns the hook's wait status, or -1. */
int run_hook_logged(const char *hook)
{
  int fds[2];
  pid_t logger;
  int status;

  if (pipe(fds) < 0)
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
  dprintf(fds[1], "running %s\n", hook);
  /* A background process that the hook leaves behind keeps fds[1]. */
  status = system(hook);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: write end 'fds[1]' is inherited by the child that 'system' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: taking the false branch
  dprintf(fds[1], "%s finished\n", hook);
  close(fds[1]);
  waitpid(logger, NULL, 0);
  return status;
}

/* Collects the report of a writer child while a helper program runs.
 * Returns the size of the report, or -1. */
ssize_t collect_with_helper(char *const helper[])
{
  int fds[2];
  pid_t writer, helper_pid;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  writer = fork();
  if (writer < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (writer == 0) {
    close(fds[0]);
    dprintf(fds[1], "report from %d\n", (int)getpid());
    _exit(0);
  }
  if (posix_spawnp(&helper_pid, helper[0], NULL, NULL, helper, environ) != 0)
    helper_pid = -1;
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: write end 'fds[1]' is inherited by the child that 'posix_spawnp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: taking the false branch
  close(fds[1]);
  n = drain(fds[0]);
  close(fds[0]);
  waitpid(writer, NULL, 0);
  /* Reaps the helper if it has finished; never waits for it, so that only
   * the drain above can hang. */
  if (helper_pid > 0)
    waitpid(helper_pid, NULL, WNOHANG);
  return n;
}

/* Sends 'msg' to a reader child and starts 'prog' next to it. Returns the
 * reader's wait status, or -1. */
int notify_and_launch(const char *msg, char *const prog[])
{
  int fds[2];
  pid_t reader, launcher;
  int status = -1;

  if (pipe(fds) < 0)
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
  launcher = fork();
  if (launcher == 0) {
    execvp(prog[0], prog);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    _exit(127);
  }
  dprintf(fds[1], "%s\n", msg);
  close(fds[1]);
  waitpid(reader, &status, 0);
  /* Never waits for the program it launched: only the reader can hang. */
  if (launcher > 0)
    waitpid(launcher, NULL, WNOHANG);
  return status;
}

/* ---- scenarios ---------------------------------------------------------- */

/* Makes the next fork() fail with EAGAIN. Root is exempt from RLIMIT_NPROC,
 * so a root process first becomes 'nobody'. */
/* The fixed twins of the three functions above: the same code with the pipe
 * made close-on-exec, so the program they start does not inherit the write
 * end. Run with the same long-running program, they finish: the hangs above
 * come from the inherited end, not from the program running long. */
int run_hook_logged_fixed(const char *hook)
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
    drain(fds[0]);
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

ssize_t collect_with_helper_fixed(char *const helper[])
{
  int fds[2];
  pid_t writer, helper_pid;
  ssize_t n;

  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  writer = fork();
  if (writer < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (writer == 0) {
    close(fds[0]);
    dprintf(fds[1], "report from %d\n", (int)getpid());
    _exit(0);
  }
  if (posix_spawnp(&helper_pid, helper[0], NULL, NULL, helper, environ) != 0)
    helper_pid = -1;
  close(fds[1]);
  n = drain(fds[0]);
  close(fds[0]);
  waitpid(writer, NULL, 0);
  if (helper_pid > 0)
    waitpid(helper_pid, NULL, WNOHANG);
  return n;
}

int notify_and_launch_fixed(const char *msg, char *const prog[])
{
  int fds[2];
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
  launcher = fork();
  if (launcher == 0) {
    execvp(prog[0], prog);
    _exit(127);
  }
  dprintf(fds[1], "%s\n", msg);
  close(fds[1]);
  waitpid(reader, &status, 0);
  if (launcher > 0)
    waitpid(launcher, NULL, WNOHANG);
  return status;
}

static void limit_processes(void)
{
  struct rlimit none = {0, 0};

  if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0)) {
    perror("setuid");
    exit(1);
  }
  if (setrlimit(RLIMIT_NPROC, &none) < 0) {
    perror("setrlimit");
    exit(1);
  }
}

static int scenario_producer(const char *greeting)
{
  int r = -1;

  start_producer(&r, greeting);
  /* The caller reads whatever the producer wrote. */
  drain(r);
  return 0;
}

static int scenario_monitor(int fail)
{
  struct monitor m = {-1, -1};

  if (fail)
    limit_processes();
  if (start_monitored(&m, 3) == 0)
    waitpid(m.worker, NULL, 0);
  /* The monitor reads the progress reports until the pipe is closed. */
  drain(m.progress_fd);
  return 0;
}

static int scenario_child_returns(void)
{
  int r = -1;
  pid_t pid = start_announcer(&r);

  if (pid < 0)
    return 1;
  /* Both the parent and the returned child get here. */
  drain(r);
  if (pid > 0)
    waitpid(pid, NULL, 0);
  return 0;
}

static int scenario_preload(size_t len)
{
  static char msg[2 * PIPE_BUF];
  int r = -1;

  memset(msg, 'x', sizeof msg);
  preload_pipe(&r, msg, len);
  drain(r);
  return 0;
}

static int scenario_request(const char *req)
{
  int r = -1;

  send_request(&r, req);
  drain(r);
  return 0;
}

static int scenario_greet(const char *name)
{
  int peer = -1;

  greet_peer(&peer, name);
  drain(peer);
  return 0;
}

static int scenario_shared_log(const char *header)
{
  int r = -1, w = -1;

  if (open_shared_log(&r, &w, header) < 0)
    return 1;
  dprintf(w, "caller's line\n");
  /* The caller is done writing: the reader should now see end-of-file. */
  close(w);
  drain(r);
  return 0;
}

static int scenario_lines(int bad)
{
  const char *const good[] = {"first", "second"};
  const char *const long_line[] = {
      "first", "this line is far too long to be accepted by feed_lines, which "
               "refuses lines that have more than eighty characters"};
  int r = -1;

  feed_lines(&r, bad ? long_line : good, 2);
  drain(r);
  return 0;
}

static int scenario_send_all(int nonblocking)
{
  static char big[40000];
  const char *const small[] = {"one", "two"};
  const char *const large[] = {big, big, big};
  int fds[2];

  memset(big, 'x', sizeof big - 1);
  if (pipe(fds) < 0)
    return 1;
  if (nonblocking) {
    /* With no reader yet, the pipe fills up and write() fails with EAGAIN
     * or writes only part of a message. */
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    send_all(fds[1], large, 3);
  } else {
    send_all(fds[1], small, 2);
  }
  drain(fds[0]);
  return 0;
}

static int scenario_ticker(void)
{
  int r;

  start_ticker(&r, 3);
  drain(r);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char *sleeper[] = {"sleep", "30", NULL};
  char *quick[] = {"true", NULL};

  if (strcmp(s, "early-return") == 0)
    return scenario_producer(NULL);
  if (strcmp(s, "early-return-ok") == 0)
    return scenario_producer("hello");
  if (strcmp(s, "fork-fails") == 0)
    return scenario_monitor(1);
  if (strcmp(s, "fork-ok") == 0)
    return scenario_monitor(0);
  if (strcmp(s, "parent-keeps") == 0)
    return count_output("echo hello") < 0;
  if (strcmp(s, "child-returns") == 0)
    return scenario_child_returns();
  if (strcmp(s, "copy") == 0)
    return scenario_preload(PIPE_BUF + 1);
  if (strcmp(s, "copy-ok") == 0)
    return scenario_preload(16);
  if (strcmp(s, "goto") == 0)
    return scenario_request("");
  if (strcmp(s, "goto-ok") == 0)
    return scenario_request("GET /\n");
  if (strcmp(s, "socketpair") == 0)
    return scenario_greet("a name that is much longer than thirty-two bytes");
  if (strcmp(s, "socketpair-ok") == 0)
    return scenario_greet("bob");
  if (strcmp(s, "dup") == 0)
    return scenario_shared_log(NULL);
  if (strcmp(s, "dup-ok") == 0)
    return scenario_shared_log("# log");
  if (strcmp(s, "loop") == 0)
    return scenario_lines(1);
  if (strcmp(s, "loop-ok") == 0)
    return scenario_lines(0);
  if (strcmp(s, "owned-param") == 0)
    return scenario_send_all(1);
  if (strcmp(s, "owned-param-ok") == 0)
    return scenario_send_all(0);
  if (strcmp(s, "fall-off") == 0)
    return scenario_ticker();
  if (strcmp(s, "system") == 0)
    return run_hook_logged("sleep 30 &") != 0;
  if (strcmp(s, "system-ok") == 0)
    return run_hook_logged("true") != 0;
  if (strcmp(s, "system-fixed") == 0)
    return run_hook_logged_fixed("sleep 30 &") != 0;
  if (strcmp(s, "posix-spawnp") == 0)
    return collect_with_helper(sleeper) <= 0;
  if (strcmp(s, "posix-spawnp-fixed") == 0)
    return collect_with_helper_fixed(sleeper) <= 0;
  if (strcmp(s, "execvp-fixed") == 0)
    return notify_and_launch_fixed("hello", sleeper) != 0;
  if (strcmp(s, "execvp") == 0)
    return notify_and_launch("hello", sleeper) != 0;
  if (strcmp(s, "execvp-ok") == 0)
    return notify_and_launch("hello", quick) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

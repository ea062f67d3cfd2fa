// The fix-it of pipe-unclosed-write-end: 'close(END); ' inserted before an
// early return, when the end is open on every path that reaches it (with
// braces around a braceless return). No fix-it for an end that may already
// be closed, an end in a struct member, a return inside a macro, the final
// return of a function whose reader may wait, or the owned-descriptor
// message. Every
// finding has a scenario that shows the hang before the fix.
//
// The fixed file is compiled and run too: every scenario that hung before a
// fix-it must now exit, and the findings without a fix-it still hang.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed greeting:exit --run-fixed words:exit \
// RUN:   --run-fixed socketpair:exit --run-fixed dup:exit \
// RUN:   --run-fixed fork-fails:exit --run-fixed braceless:exit \
// RUN:   --run-fixed maybe-closed:hang --run-fixed member:hang \
// RUN:   --run-fixed macro:hang --run-fixed final-return:hang \
// RUN:   --run-fixed owned:hang --run-fixed all-ok:exit
// RUN: %run_example %s greeting hang
// RUN: %run_example %s words hang
// RUN: %run_example %s socketpair hang
// RUN: %run_example %s dup hang
// RUN: %run_example %s fork-fails hang
// RUN: %run_example %s braceless hang
// RUN: %run_example %s maybe-closed hang
// RUN: %run_example %s member hang
// RUN: %run_example %s macro hang
// RUN: %run_example %s final-return hang
// RUN: %run_example %s owned hang
// RUN: %run_example %s all-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads fd until end-of-file; returns the number of bytes read. */
static ssize_t drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Writes 'greeting' into a new pipe; *rfd gets the read end. */
int send_greeting(int *rfd, const char *greeting)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (greeting == NULL) {
    errno = EINVAL;
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'send_greeting' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(fds[1]); return -1;{{$}}
  }
  dprintf(fds[1], "%s\n", greeting);
  close(fds[1]);
  return 0;
}

/* Writes the words into a new pipe, one per line; *rfd gets the read end.
 * Words may not contain spaces. */
int send_words(int *rfd, const char *const words[], size_t n)
{
  int fds[2];
  size_t i;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  for (i = 0; i < n; i++) {
    if (strchr(words[i], ' ') != NULL) {
      return -1;
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'send_words' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
      // CHECK-NOTES: :[[@LINE-7]]:7: note: pipe created here
      // CHECK-NOTES: :[[@LINE-4]]:9: note: taking the true branch
      // CHECK-FIXES: {{^}}      close(fds[1]); return -1;{{$}}
    }
    dprintf(fds[1], "%s\n", words[i]);
  }
  close(fds[1]);
  return 0;
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
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: end 'sv[0]' of the socket pair is still open when 'greet_peer' returns here; its peer never sees end-of-file and blocks forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-7]]:7: note: socket pair created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(sv[0]); return -1;{{$}}
  }
  dprintf(sv[0], "hello %s\n", name);
  close(sv[0]);
  return 0;
}

/* Opens a log pipe shared by the caller, who gets fds[1] in *wfd, and a
 * duplicate of it that writes the header. *rfd gets the read end. */
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
  if (header == NULL) {
    return 0;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'hdr' of the pipe is still open when 'open_shared_log' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-11]]:9: note: duplicate created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(hdr); return 0;{{$}}
  }
  dprintf(hdr, "%s\n", header);
  close(hdr);
  return 0;
}

struct monitor {
  int progress_fd; /* read by the monitor until end-of-file */
  pid_t worker;
};

/* Starts a worker process that reports its progress on a pipe that the
 * monitor reads. */
int start_monitored(struct monitor *m)
{
  int fds[2];
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  m->progress_fd = fds[0];
  pid = fork();
  if (pid < 0) {
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_monitored' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(fds[1]); return -1;{{$}}
  }
  if (pid == 0) {
    dprintf(fds[1], "worker started\n");
    _exit(0);
  }
  close(fds[1]);
  m->worker = pid;
  return 0;
}

/* The return is the body of an if without braces: the fix-it adds them. */
int send_line(int *rfd, const char *line)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strchr(line, '\n') != NULL)
    return -1; /* braceless */
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'send_line' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
  // CHECK-FIXES: {{^}}    { close(fds[1]); return -1; } /* braceless */{{$}}
  dprintf(fds[1], "%s\n", line);
  close(fds[1]);
  return 0;
}

/* No fix-it: on the path without a payload the end is already closed when
 * the return is reached. */
int send_optional(int *rfd, const char *payload, int level)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (payload == NULL)
    close(fds[1]); /* nothing to send: the reader sees end-of-file at once */
  if (level < 0) {
    errno = EINVAL;
    return -1; /* no fix: maybe closed */
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'send_optional' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-9]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    return -1; /* no fix: maybe closed */{{$}}
  }
  if (payload != NULL) {
    dprintf(fds[1], "%d %s\n", level, payload);
    close(fds[1]);
  }
  return 0;
}

struct pipe_pair {
  int fds[2];
};

/* No fix-it: the end is held in a member of a local struct. */
int send_pair(int *rfd, int count)
{
  struct pipe_pair p;

  if (pipe(p.fds) < 0)
    return -1;
  *rfd = p.fds[0];
  if (count < 0) {
    return -1; /* no fix: member */
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'p.fds[1]' of the pipe is still open when 'send_pair' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    return -1; /* no fix: member */{{$}}
  }
  dprintf(p.fds[1], "%d\n", count);
  close(p.fds[1]);
  return 0;
}

#define CHECK_ARG(cond)                                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      errno = EINVAL;                                                          \
      return -1;                                                               \
    }                                                                          \
  } while (0)

/* No fix-it: the return is inside a macro. */
int send_count(int *rfd, int count)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  CHECK_ARG(count >= 0);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'send_count' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-NOTES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: taking the true branch
  // CHECK-FIXES: {{^}}  CHECK_ARG(count >= 0);{{$}}
  dprintf(fds[1], "%d\n", count);
  close(fds[1]);
  return 0;
}

/* No fix-it: the final return of the function, not an early one. */
int fill_pipe(int *rfd, const char *msg)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  dprintf(fds[1], "%s\n", msg);
  return 0; /* no fix: final return */
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'fill_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-FIXES: {{^}}  return 0; /* no fix: final return */{{$}}
}

#define MAX_LINE 64

/* No fix-it for the owned-descriptor message: writes the lines to fd, then
 * closes fd, which the caller hands over. */
int send_lines(int fd, const char *const lines[], size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    if (strlen(lines[i]) > MAX_LINE) {
      errno = EMSGSIZE;
      return -1; /* no fix: owned */
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: write end 'fd' is closed on another path but still open when 'send_lines' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
      // CHECK-NOTES: :[[@LINE+6]]:3: note: 'fd' is closed here on another path
      // CHECK-NOTES: :[[@LINE-5]]:9: note: taking the true branch
      // CHECK-FIXES: {{^}}      return -1; /* no fix: owned */{{$}}
    }
    dprintf(fd, "%s\n", lines[i]);
  }
  close(fd);
  return 0;
}

/* ---- scenarios ---------------------------------------------------------- */

/* Makes the next fork() fail with EAGAIN. Root is exempt from RLIMIT_NPROC,
 * so a root process first becomes 'nobody'. */
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

/* Runs one scenario: 'bad' selects the reported path. Returns the read end
 * that the caller then reads to the end, or -1. */
static int run(const char *s, int bad)
{
  const char *const words_ok[] = {"alpha", "beta"};
  const char *const words_bad[] = {"alpha", "two words"};
  const char *const lines_ok[] = {"short"};
  const char *const lines_bad[] = {
      "a line that is longer than sixty-four bytes, which send_lines refuses"};
  int r = -1, w = -1;

  if (strcmp(s, "greeting") == 0)
    send_greeting(&r, bad ? NULL : "hello");
  else if (strcmp(s, "words") == 0)
    send_words(&r, bad ? words_bad : words_ok, 2);
  else if (strcmp(s, "socketpair") == 0)
    greet_peer(&r, bad ? "a name that is much longer than thirty-two bytes"
                       : "bob");
  else if (strcmp(s, "dup") == 0) {
    if (open_shared_log(&r, &w, bad ? NULL : "# log") == 0)
      close(w);
  } else if (strcmp(s, "fork-fails") == 0) {
    struct monitor m = {-1, -1};
    if (bad)
      limit_processes();
    if (start_monitored(&m) == 0)
      waitpid(m.worker, NULL, 0);
    r = m.progress_fd;
  } else if (strcmp(s, "braceless") == 0)
    send_line(&r, bad ? "two\nlines" : "one line");
  else if (strcmp(s, "maybe-closed") == 0)
    send_optional(&r, "payload", bad ? -1 : 1);
  else if (strcmp(s, "member") == 0)
    send_pair(&r, bad ? -1 : 1);
  else if (strcmp(s, "macro") == 0)
    send_count(&r, bad ? -1 : 1);
  else if (strcmp(s, "final-return") == 0)
    fill_pipe(&r, "message");
  else if (strcmp(s, "owned") == 0) {
    int fds[2];
    if (pipe(fds) < 0)
      return -1;
    send_lines(fds[1], bad ? lines_bad : lines_ok, 1);
    r = fds[0];
  } else {
    fprintf(stderr, "unknown scenario '%s'\n", s);
    exit(2);
  }
  return r;
}

int main(int argc, char **argv)
{
  const char *const good_paths[] = {"greeting",     "words",  "socketpair",
                                    "dup",          "fork-fails", "braceless",
                                    "maybe-closed", "member", "macro",
                                    "owned"};
  const char *s = argc > 1 ? argv[1] : "";
  size_t i;

  if (strcmp(s, "all-ok") == 0) {
    /* The good paths of the same functions: every reader sees end-of-file. */
    for (i = 0; i < sizeof good_paths / sizeof good_paths[0]; i++) {
      int r = run(good_paths[i], 0);
      if (r < 0)
        return 1;
      drain(r);
      close(r);
    }
    return 0;
  }
  drain(run(s, 1));
  return 0;
}

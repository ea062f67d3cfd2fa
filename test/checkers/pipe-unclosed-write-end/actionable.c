// One warning per defect, at the decision that skips the close, in honest
// words, with a fix-it that closes every end that leaks (issue #18, items
// 1-3 and 5). A leak that no reader can wait on says "leaks"; the scenarios
// prove it by counting the process's open descriptors after 32 calls. A
// leak that a reader can wait on says "block forever", and its scenario
// hangs. The fixed file is compiled and run too: every leak is gone, and
// the finding without a fix-it (a return inside a macro) still hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed echo-closed:exit --run-fixed token-leaks:exit \
// RUN:   --run-fixed ping-closed:exit --run-fixed count-closed:exit \
// RUN:   --run-fixed stage-macro:hang --run-fixed stage-nomem:exit \
// RUN:   --run-fixed all-ok:exit
// RUN: %run_example %s echo-leaks exit
// RUN: %run_example %s token-leaks exit
// RUN: %run_example %s ping-leaks exit
// RUN: %run_example %s count-leaks exit
// RUN: %run_example %s stage-macro hang
// RUN: %run_example %s stage-nomem hang
// RUN: %run_example %s all-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- a goto that skips both closes, reaching two returns ---------------- */

/* Sends 'msg' through a pipe of its own and reads it back into 'out'. One
 * goto skips both closes; both ends are local, so nothing can block: the
 * descriptors leak, one pair per failing call. */
int echo_through_pipe(const char *msg, char *out, size_t size, int verbose)
{
  int fds[2];
  size_t len = strlen(msg);
  int rc = -1;

  if (pipe(fds) < 0)
    return -1;
  if (len >= size)
    goto out;
  // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'echo_through_pipe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns after this goto; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-NOTES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
  // CHECK-FIXES: {{^}}    { close(fds[1]); close(fds[0]); goto out; }{{$}}
  if (write(fds[1], msg, len) != (ssize_t)len)
    goto close_both;
  if (read(fds[0], out, len) != (ssize_t)len)
    goto close_both;
  out[len] = '\0';
  rc = 0;
close_both:
  close(fds[1]);
  close(fds[0]);
out:
  if (rc < 0 && verbose) {
    fprintf(stderr, "echo_through_pipe: failed\n");
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: note: then 'echo_through_pipe' returns here
  }
  return rc;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: then 'echo_through_pipe' returns here
}

/* ---- the read end closed first: still a leak (issue #17's policy) ------- */

/* Passes a token through a pipe. On a failed write the read end is closed
 * but the write end is not: nothing can wait on it, and it leaks. No
 * fix-it: on the path where close() itself failed, fds[1] is closed. */
int pass_token(int fail)
{
  int fds[2];
  char c = 't';
  ssize_t n;

  if (pipe(fds) != 0)
    return -1;
  if ((fail ? -1 : write(fds[1], &c, 1)) != 1 || close(fds[1]) != 0) {
    close(fds[0]);
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'pass_token' leaks the write end 'fds[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    return -1;{{$}}
  }
  n = read(fds[0], &c, 1);
  close(fds[0]);
  return (int)n;
}

/* ---- both ends of a socket pair: one warning naming both ---------------- */

/* Sends 'msg' to itself over a socket pair and returns the bytes received. */
int ping_pair(const char *msg)
{
  int sv[2];
  char buf[64];
  ssize_t n;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return -1;
  if (strlen(msg) >= sizeof buf) {
    errno = EMSGSIZE;
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'ping_pair' leaks the ends 'sv[0]' and 'sv[1]' of the socket pair when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-6]]:7: note: socket pair created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(sv[0]); close(sv[1]); return -1;{{$}}
  }
  if (write(sv[0], msg, strlen(msg)) < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  n = read(sv[1], buf, sizeof buf);
  close(sv[0]);
  close(sv[1]);
  return (int)n;
}

/* ---- a break out of a loop that skips the closes ------------------------ */

/* Counts the bytes of 'in' by passing them through a pipe of its own. A
 * read error leaves the loop by the break, past both closes. */
long count_via_pipe(int in)
{
  int fds[2];
  char buf[512];
  long total = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  for (;;) {
    n = read(in, buf, sizeof buf);
    if (n == 0) {
      close(fds[1]);
      close(fds[0]);
      return total;
    }
    if (n < 0)
      break;
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'count_via_pipe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns after this break; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:9: note: taking the true branch
    // CHECK-FIXES: {{^}}      { close(fds[1]); close(fds[0]); break; }{{$}}
    if (write(fds[1], buf, (size_t)n) != n || read(fds[0], buf, sizeof buf) != n) {
      close(fds[1]);
      close(fds[0]);
      return -1;
    }
    total += n;
  }
  return -1;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: then 'count_via_pipe' returns here
}

/* ---- macros: notes and warnings at the expansion, never inside ---------- */

static int log_level = 1;

#define CHECK_ARG(cond)                                                        \
  do {                                                                         \
    if (!(cond)) {                                                             \
      errno = EINVAL;                                                          \
      return -1;                                                               \
    }                                                                          \
  } while (0)
#define LOG_ERR(msg)                                                           \
  do {                                                                         \
    if (log_level > 0)                                                         \
      fprintf(stderr, "%s\n", msg);                                            \
  } while (0)
/* Like g_new(): a branch of its own inside the expansion. */
#define NEW_BUF(n) ((char *)((n) > 4096 ? NULL : malloc(n)))

/* Stages 'msg' in a buffer and writes it into a pipe whose read end the
 * caller gets in *rfd and reads to the end: a write end left open here
 * makes that reader block. */
int stage_message(const char *msg, size_t cap, int *rfd)
{
  int fds[2];
  char *buf;

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  CHECK_ARG(msg != NULL);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'stage_message' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-NOTES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-NOTES: :[[@LINE-3]]:3: note: taking the true branch
  // CHECK-FIXES: {{^}}  CHECK_ARG(msg != NULL);{{$}}
  buf = NEW_BUF(cap);
  if (buf == NULL) {
    LOG_ERR("stage_message: no memory");
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'stage_message' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(fds[1]); return -1;{{$}}
  }
  snprintf(buf, cap, "%s", msg);
  dprintf(fds[1], "%s\n", buf);
  free(buf);
  close(fds[1]);
  return 0;
}

/* ---- scenarios ---------------------------------------------------------- */

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

static long drain_fd(int fd)
{
  char buf[4096];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

#define CALLS 32

/* Runs one failing call of scenario 's' CALLS times and returns how many
 * descriptors are left open afterwards. */
static int leaked_by(const char *s)
{
  int before = open_fds(), i;
  char out[4];

  for (i = 0; i < CALLS; i++) {
    if (strcmp(s, "echo") == 0)
      echo_through_pipe("far too long", out, sizeof out, i % 2);
    else if (strcmp(s, "token") == 0)
      pass_token(1);
    else if (strcmp(s, "ping") == 0)
      ping_pair("a message far longer than the sixty-four bytes that the "
                "buffer of ping_pair holds");
    else if (strcmp(s, "count") == 0)
      count_via_pipe(-1);
  }
  return open_fds() - before;
}

/* Reads the pipe that stage_message() fills: hangs while fds[1] is open. */
static int stage(const char *msg, size_t cap)
{
  int r = -1;

  stage_message(msg, cap, &r);
  if (r >= 0) {
    drain_fd(r);
    close(r);
  }
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char out[16];
  int fds[2];

  /* Leaks: every failing call leaves its descriptors open. */
  if (strcmp(s, "echo-leaks") == 0)
    return leaked_by("echo") != 2 * CALLS;
  if (strcmp(s, "token-leaks") == 0)
    return leaked_by("token") != CALLS;
  if (strcmp(s, "ping-leaks") == 0)
    return leaked_by("ping") != 2 * CALLS;
  if (strcmp(s, "count-leaks") == 0)
    return leaked_by("count") != 2 * CALLS;
  /* The fixed file: the same calls leave nothing open. */
  if (strcmp(s, "echo-closed") == 0)
    return leaked_by("echo") != 0;
  if (strcmp(s, "ping-closed") == 0)
    return leaked_by("ping") != 0;
  if (strcmp(s, "count-closed") == 0)
    return leaked_by("count") != 0;
  /* Hangs: the caller reads to the end. */
  if (strcmp(s, "stage-macro") == 0)
    return stage(NULL, 64);
  if (strcmp(s, "stage-nomem") == 0)
    return stage("hello", 8192);
  if (strcmp(s, "all-ok") == 0) {
    /* The good paths leave nothing open and finish. */
    int before = open_fds();
    if (echo_through_pipe("hi", out, sizeof out, 1) != 0 ||
        strcmp(out, "hi") != 0)
      return 1;
    if (pass_token(0) != 1 || ping_pair("hi") != 2)
      return 1;
    if (pipe(fds) < 0 || write(fds[1], "abc", 3) != 3 || close(fds[1]) != 0 ||
        count_via_pipe(fds[0]) != 3)
      return 1;
    close(fds[0]);
    stage("hello", 64);
    return open_fds() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

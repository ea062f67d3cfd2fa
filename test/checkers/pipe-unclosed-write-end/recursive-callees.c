// Summaries around recursion: every function of the file is summarised
// once, callees before callers, and a function on a cycle of calls (a
// recursive one, or two that call each other) has no summary: a call of it
// is an unknown call. Its callers outside the cycle keep their own
// summaries, so a pipe made by a wrapper that also calls a recursive
// function on the way is followed into the caller (hang), 1 and 3 helpers
// deep, in either order of the functions in the file. A wrapper that is
// itself on the cycle hands its ends off and stays silent (a known miss,
// shown to hang); the near-misses close the write end and terminate.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s checked hang
// RUN: %run_example %s checked-fixed exit
// RUN: %run_example %s deep hang
// RUN: %run_example %s cycle hang
// RUN: %run_example %s cycle-fixed exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static ssize_t drain(int fd)
{
  char buf[64];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* ---- a caller that comes before the recursive function it reaches ------- */

static int open_checked(int fds[2], const char *spec);

ssize_t capture_checked(int fixed)
{
  int fds[2];
  ssize_t total;

  if (open_checked(fds, "((x))") < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fixed)
    close(fds[1]);
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_checked' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

/* Recursive: no summary of its own. */
static int nesting(const char *s)
{
  if (!*s)
    return 0;
  return (*s == '(') + nesting(s + 1);
}

/* Makes the pipe, after a call of the recursive function. */
static int open_checked(int fds[2], const char *spec)
{
  if (nesting(spec) > 8)
    return -1;
  return pipe(fds);
}

/* ---- three helpers deep, the recursion two levels below the pipe -------- */

static int depth_a(const char *s);
static int depth_b(const char *s)
{
  return *s ? depth_a(s + 1) + 1 : 0;
}
static int depth_a(const char *s)
{
  return *s ? depth_b(s + 1) : 0;
}
static int validate(const char *spec) { return depth_a(spec) < 16 ? 0 : -1; }
static int open_validated(int fds[2], const char *spec)
{
  if (validate(spec) < 0)
    return -1;
  return pipe(fds);
}
static int open_job(int fds[2]) { return open_validated(fds, "job"); }
static int start_job(int fds[2]) { return open_job(fds); }

ssize_t capture_deep(void)
{
  int fds[2];
  ssize_t total;

  if (start_job(fds) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  total = drain(fds[0]);
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_deep' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

/* ---- the wrapper on the cycle: unknown, silent --------------------------- */

static int open_retry(int fds[2], int tries);
static int retry_again(int fds[2], int tries)
{
  return tries > 0 ? open_retry(fds, tries - 1) : -1;
}
static int open_retry(int fds[2], int tries)
{
  if (pipe(fds) == 0)
    return 0;
  return retry_again(fds, tries);
}

ssize_t capture_cycle(int fixed)
{
  int fds[2];
  ssize_t total;

  if (open_retry(fds, 2) < 0)
    return -1;
  if (fork() == 0) {
    (void)write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fixed)
    close(fds[1]);
  total = drain(fds[0]);
  close(fds[0]);
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "checked") == 0)
    return capture_checked(0) != 6;
  if (strcmp(s, "checked-fixed") == 0)
    return capture_checked(1) != 6;
  if (strcmp(s, "deep") == 0)
    return capture_deep() != 6;
  if (strcmp(s, "cycle") == 0)
    return capture_cycle(0) != 6;
  if (strcmp(s, "cycle-fixed") == 0)
    return capture_cycle(1) != 6;
  return 2;
}

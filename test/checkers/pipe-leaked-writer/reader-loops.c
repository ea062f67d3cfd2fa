// pipe-leaked-writer and the reading loops of a parent that waits for its
// writer child. A loop that calls a reading helper until it says there is
// no more (`while (next_record(fd, &r))`) ends at end-of-file or on an
// error: the child has nothing left to write into the pipe, and the wait
// after the loop returns. A single call of a helper that gives up early
// (a header whose magic does not match) leaves the child blocked on the
// full pipe, and the wait after it hangs.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s records exit
// RUN: %run_example %s lines exit
// RUN: %run_example %s bad-header hang

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct record {
  char magic[4];
  char body[60];
};

static void emit_records(int fd) {
  struct record r;
  memset(&r, 'r', sizeof r);
  memcpy(r.magic, "REC1", 4);
  for (int i = 0; i < 20000; i++)
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
      _exit(1);
  _exit(0);
}

static pid_t start_writer(int p[2]) {
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    emit_records(p[1]);
  }
  close(p[1]);
  if (pid < 0)
    close(p[0]);
  return pid;
}

// One whole record; false at end-of-file, on an error or a short read.
static bool next_record(int fd, struct record *r) {
  return read(fd, r, sizeof *r) == (ssize_t)sizeof *r;
}

// Up to n bytes of the next line; 1 when it read some, 0 at the end.
static int next_line(int fd, char *buf, size_t n) {
  size_t len = 0;
  char c;
  while (len + 1 < n) {
    ssize_t got = read(fd, &c, 1);
    if (got <= 0)
      return len > 0;
    buf[len++] = c;
    if (c == '\n')
      break;
  }
  buf[len] = '\0';
  return 1;
}

static bool header_ok(int fd) {
  struct record r;
  return read(fd, &r, sizeof r) == (ssize_t)sizeof r &&
         memcmp(r.magic, "HDR0", 4) == 0;
}

int records(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  struct record r;
  long n = 0;
  while (next_record(p[0], &r))
    n++;
  waitpid(pid, NULL, 0);
  close(p[0]);
  printf("%ld records\n", n);
  return 0;
}

int lines(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  char buf[128];
  long n = 0;
  while (next_line(p[0], buf, sizeof buf))
    n++;
  waitpid(pid, NULL, 0);
  close(p[0]);
  printf("%ld lines\n", n);
  return 0;
}

int bad_header(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  if (!header_ok(p[0])) {
    waitpid(pid, NULL, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'pid' is waited for here while the read end 'p[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: child process 'pid' starts here; it writes up to 1280000 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(p[0]);
    return 1;
  }
  close(p[0]);
  waitpid(pid, NULL, 0);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  signal(SIGPIPE, SIG_IGN);
  if (!strcmp(s, "records"))
    return records();
  if (!strcmp(s, "lines"))
    return lines();
  if (!strcmp(s, "bad-header"))
    return bad_header() == 1 ? 0 : 3;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

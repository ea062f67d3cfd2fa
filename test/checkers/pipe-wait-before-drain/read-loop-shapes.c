// pipe-wait-before-drain with helpers that read a struct's read end to
// end-of-file in loops whose end is tested on a read result kept in a
// variable: a `do { n = read(...); ... } while (n > 0);` loop, and a
// `while ((n = read(...)) != 0)` loop whose only early exit is a failed
// read (`if (n < 0) return -1;`). Waiting for the writing child before
// either helper hangs once the child has more to write than the pipe
// holds; the near miss reads first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s do-while hang
// RUN: %run_example %s failure-exit hang
// RUN: %run_example %s read-first exit

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct reader {
  int fd;
  long total;
};

static void read_rest(struct reader *r) {
  char buf[512];
  ssize_t n;
  do {
    n = read(r->fd, buf, sizeof buf);
    if (n > 0)
      r->total += n;
  } while (n > 0);
}

static int read_checked(struct reader *r) {
  char buf[512];
  ssize_t n;
  while ((n = read(r->fd, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    r->total += n;
  }
  return 0;
}

static pid_t start_writer(int p[2]) {
  if (pipe(p) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    static char block[4096];
    close(p[0]);
    for (int i = 0; i < 64; i++)
      if (write(p[1], block, sizeof block) < 0)
        _exit(1);
    _exit(0);
  }
  close(p[1]);
  return pid;
}

int do_while(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  struct reader r = {p[0], 0};
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'r.fd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.fd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: child process 'pid' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: 'r.fd' is read only here, after the wait
  read_rest(&r);
  close(p[0]);
  return r.total == 64 * 4096 ? 0 : 1;
}

int failure_exit(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  struct reader r = {p[0], 0};
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'r.fd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'r.fd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: child process 'pid' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'r.fd' is read only here, after the wait
  int rc = read_checked(&r);
  close(p[0]);
  return rc;
}

int read_first(void) {
  int p[2];
  pid_t pid = start_writer(p);
  if (pid < 0)
    return 1;
  struct reader r = {p[0], 0};
  read_rest(&r);
  waitpid(pid, NULL, 0);
  close(p[0]);
  return r.total == 64 * 4096 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "do-while"))
    return do_while();
  if (!strcmp(s, "failure-exit"))
    return failure_exit();
  if (!strcmp(s, "read-first"))
    return read_first();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A start helper that keeps a forked writer's pid and the read end of its
// pipe in a struct it allocates, and stores into the struct without testing
// the allocation (the program trusts malloc(), or its allocator exits on
// failure). The struct is followed from the helper into its caller all the
// same: a caller that gives up on a bad header and returns leaves the child
// blocked on the full pipe (the first scenario counts it still running), and
// one that waits for the child first hangs. The helper is called directly,
// and two deep through a wrapper whose allocator exits on failure; the
// allocation comes after a branch that joins (a log line), so that the
// analysis reaches it more than once. The near misses close the read end
// before waiting, or read the report to its end, and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s give-up exit
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s close-then-wait exit
// RUN: %run_example %s read-all exit

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int verbose;

struct worker {
  pid_t pid;
  int rd;
};

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p)
    exit(1);
  return p;
}

static void write_report(int fd, size_t bytes) {
  char line[100];
  memset(line, '#', sizeof line);
  for (size_t done = 0; done < bytes; done += sizeof line)
    if (write(fd, line, sizeof line) < 0)
      break;
}

static struct worker *worker_start(size_t bytes) {
  int p[2];
  if (pipe(p) < 0)
    return NULL;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return NULL;
  }
  if (pid == 0) {
    close(p[0]);
    write_report(p[1], bytes);
    _exit(0);
  }
  close(p[1]);
  if (verbose)
    fprintf(stderr, "worker %d started\n", (int)pid);
  struct worker *w = malloc(sizeof *w);
  w->pid = pid;
  w->rd = p[0];
  return w;
}

// The same, the struct from an allocator that exits on failure.
static struct worker *report_worker_start(void) {
  int p[2];
  if (pipe(p) < 0)
    return NULL;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return NULL;
  }
  if (pid == 0) {
    close(p[0]);
    write_report(p[1], 1 << 20);
    _exit(0);
  }
  close(p[1]);
  if (verbose)
    fprintf(stderr, "report worker %d started\n", (int)pid);
  struct worker *w = xmalloc(sizeof *w);
  w->rd = p[0];
  w->pid = pid;
  return w;
}

static struct worker *report_start(void) { return report_worker_start(); }

static int give_up(void) {
  struct worker *w = worker_start(1 << 20);
  char magic[8];
  if (!w)
    return -1;
  if (read(w->rd, magic, sizeof magic) != sizeof magic ||
      memcmp(magic, "REPORT1\n", 8))
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'w->pid' is never waited for on this path, and the read end 'w->rd' stays open and unread: the writer stays blocked on the full pipe forever; close 'w->rd' so that it fails with EPIPE and wait for it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:22: note: child process 'w->pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-9]]:22: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  close(w->rd);
  waitpid(w->pid, NULL, 0);
  free(w);
  return 0;
}

static int wait_first(void) {
  struct worker *w = report_start();
  char magic[8];
  if (!w)
    return -1;
  if (read(w->rd, magic, sizeof magic) != sizeof magic ||
      memcmp(magic, "REPORT1\n", 8)) {
    waitpid(w->pid, NULL, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'w->pid' is waited for here while the read end 'w->rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'w->rd' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:22: note: child process 'w->pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-9]]:22: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    close(w->rd);
    free(w);
    return -1;
  }
  close(w->rd);
  waitpid(w->pid, NULL, 0);
  free(w);
  return 0;
}

static int close_then_wait(void) {
  struct worker *w = report_start();
  char magic[8];
  if (!w)
    return -1;
  if (read(w->rd, magic, sizeof magic) != sizeof magic ||
      memcmp(magic, "REPORT1\n", 8)) {
    close(w->rd);
    waitpid(w->pid, NULL, 0);
    free(w);
    return -1;
  }
  close(w->rd);
  waitpid(w->pid, NULL, 0);
  free(w);
  return 0;
}

static int read_all(void) {
  struct worker *w = worker_start(1 << 20);
  if (!w)
    return -1;
  char buf[4096];
  size_t total = 0;
  ssize_t n;
  while ((n = read(w->rd, buf, sizeof buf)) > 0)
    total += (size_t)n;
  close(w->rd);
  waitpid(w->pid, NULL, 0);
  free(w);
  return total >= (1 << 20) ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  signal(SIGPIPE, SIG_IGN);
  if (!strcmp(argv[1], "give-up")) {
    if (give_up() != -1)
      return 1;
    usleep(200 * 1000);
    // A child is still blocked writing the report (run_example kills it).
    return waitpid(-1, NULL, WNOHANG) == 0 ? 0 : 1;
  }
  if (!strcmp(argv[1], "wait-first"))
    return wait_first() == -1 ? 0 : 1;
  if (!strcmp(argv[1], "close-then-wait"))
    return close_then_wait() == -1 ? 0 : 1;
  if (!strcmp(argv[1], "read-all"))
    return read_all();
  return 2;
}

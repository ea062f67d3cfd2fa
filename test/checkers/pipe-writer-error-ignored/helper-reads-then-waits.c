// pipe-writer-error-ignored where one helper both reads the child's output
// to end-of-file and then waits for the child, through another helper that
// throws the exit status away: `collect(&ex)` calls `read_all()`,
// `close()` and `reap()` (`waitpid(pid, NULL, 0)`). A child that stops at
// a bad record with `_exit(3)` looks like one that finished, and the
// caller uses the short output as complete. The warning is at the
// `waitpid()` that loses the status. The near miss's helper returns the
// status and the caller checks it.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s truncated exit
// RUN: %run_example %s checked exit

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct export_job {
  pid_t pid;
  int fd;
};

static int emit(int fd, int bad) {
  for (int i = 0; i < 40; i++) {
    if (i == bad)
      return 3;
    dprintf(fd, "row %d\n", i);
  }
  return 0;
}

static int start(struct export_job *ex, int bad) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    int rc = emit(p[1], bad);
    close(p[1]);
    _exit(rc);
  }
  close(p[1]);
  ex->pid = pid;
  ex->fd = p[0];
  return 0;
}

static long read_all(int fd) {
  char buf[256];
  long lines = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    for (ssize_t i = 0; i < n; i++)
      lines += buf[i] == '\n';
  }
  return lines;
}

static void reap(pid_t pid) {
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: waitpid() discards the exit status of child process 'ex.pid', which writes the pipe read from 'ex.fd': a child that fails part-way looks like one that finished, and the output read is used as if complete; have 'reap' return the status, and check WIFEXITED() and WEXITSTATUS() of it where the output is used [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE+31]]:7: note: child process 'ex.pid' starts here
  // CHECK-MESSAGES: :[[@LINE+32]]:16: note: 'collect' is called here and waits for child process 'ex.pid'
  // CHECK-MESSAGES: :[[@LINE+31]]:16: note: 'ex.fd' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE+28]]:7: note: pipe created here
    ;
}

static long collect(struct export_job *ex) {
  long lines = read_all(ex->fd);
  close(ex->fd);
  reap(ex->pid);
  return lines;
}

static int reap_status(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long collect_checked(struct export_job *ex, int *status) {
  long lines = read_all(ex->fd);
  close(ex->fd);
  *status = reap_status(ex->pid);
  return lines;
}

int truncated(void) {
  struct export_job ex;
  if (start(&ex, 20) != 0)
    return 1;
  long lines = collect(&ex);
  printf("saved %ld rows\n", lines);
  return lines == 20 ? 0 : 1; // the short export was taken as complete
}

int checked(void) {
  struct export_job ex;
  int status;
  if (start(&ex, 20) != 0)
    return 1;
  long lines = collect_checked(&ex, &status);
  if (status != 0) {
    printf("export failed after %ld rows\n", lines);
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "truncated"))
    return truncated();
  if (!strcmp(s, "checked"))
    return checked();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-unclosed-write-end on an exec-failure report pipe made without
// O_CLOEXEC: the forked child writes errno to the pipe when execvp()
// fails, and the parent reads the pipe, taking end-of-file as "the exec
// worked". The write end must close at a successful exec; without
// O_CLOEXEC the started program keeps it, and the parent's read waits
// until that program exits (for a daemon, forever). Unlike a child that
// is its pipe's only writer by design (inherited-own-writer.c), this child
// writes the end itself, so the exemption does not apply. Shapes: the pipe
// made in the function and read directly; made by a helper two calls down
// and read by a helper (reported in the helper, where the end leaves it
// without O_CLOEXEC). Each hangs while the started program runs.
//
// Near misses: pipe2(..., O_CLOEXEC), and FD_CLOEXEC set on the write end
// with fcntl() before the fork; each returns as soon as the exec worked.
// And a child that writes a greeting and then execs a short program with
// the end, whose end-of-file the parent waits for on purpose (the child
// and its program are the pipe's only writers, as in
// inherited-own-writer.c): it finishes when the program does.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s helpers hang
// RUN: %run_example %s pipe2-cloexec exit
// RUN: %run_example %s fcntl-cloexec exit
// RUN: %run_example %s hello-then-exec exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const sleeper[] = {"sleep", "30", NULL};

pid_t start_direct(int *exec_errno) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    execvp(sleeper[0], sleeper);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'p[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+11]]:9: note: the child writes 'p[1]' only when the exec fails; after a successful one the program keeps it, and a read of the pipe here waits until that program exits
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    int err = errno;
    (void)!write(p[1], &err, sizeof err);
    _exit(127);
  }
  close(p[1]);
  int err = 0;
  ssize_t n;
  do
    n = read(p[0], &err, sizeof err);
  while (n < 0 && errno == EINTR);
  close(p[0]);
  *exec_errno = n == (ssize_t)sizeof err ? err : 0;
  return pid;
}

static int xpipe(int fds[2], const char *what) {
  if (pipe(fds) < 0) {
    fprintf(stderr, "%s: pipe: %s\n", what, strerror(errno));
    return -1;
  }
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe leaves 'xpipe' here without O_CLOEXEC, and 'start_helpers' starts a program with 'execvp' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'xpipe' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+30]]:5: note: the program started here inherits 'wr', which 'start_helpers' got from 'open_report_pipe'
}

static int open_report_pipe(int *rd, int *wr) {
  int p[2];
  if (xpipe(p, "exec report") < 0)
    return -1;
  *rd = p[0];
  *wr = p[1];
  return 0;
}

static int read_report(int rd) {
  int err = 0;
  ssize_t n = read(rd, &err, sizeof err);
  return n == (ssize_t)sizeof err ? err : 0;
}

pid_t start_helpers(int *exec_errno) {
  int rd, wr;
  if (open_report_pipe(&rd, &wr) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(rd);
    close(wr);
    return -1;
  }
  if (pid == 0) {
    close(rd);
    execvp(sleeper[0], sleeper);
    int err = errno;
    (void)!write(wr, &err, sizeof err);
    _exit(127);
  }
  close(wr);
  *exec_errno = read_report(rd);
  close(rd);
  return pid;
}

// Near misses.

pid_t start_pipe2(int *exec_errno) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    execvp(sleeper[0], sleeper);
    int err = errno;
    (void)!write(p[1], &err, sizeof err);
    _exit(127);
  }
  close(p[1]);
  int err = 0;
  ssize_t n = read(p[0], &err, sizeof err);
  close(p[0]);
  *exec_errno = n == (ssize_t)sizeof err ? err : 0;
  return pid;
}

pid_t start_fcntl(int *exec_errno) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  if (fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    execvp(sleeper[0], sleeper);
    int err = errno;
    (void)!write(p[1], &err, sizeof err);
    _exit(127);
  }
  close(p[1]);
  int err = 0;
  ssize_t n = read(p[0], &err, sizeof err);
  close(p[0]);
  *exec_errno = n == (ssize_t)sizeof err ? err : 0;
  return pid;
}

static char *const quick[] = {"true", NULL};

pid_t hello_then_exec(int *got) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    (void)!write(p[1], "hi", 2);
    execvp(quick[0], quick);
    _exit(127);
  }
  close(p[1]);
  char buf[16];
  ssize_t n, total = 0;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  *got = (int)total;
  return pid;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int err = -1;
  pid_t pid;
  if (!strcmp(s, "direct"))
    pid = start_direct(&err);
  else if (!strcmp(s, "helpers"))
    pid = start_helpers(&err);
  else if (!strcmp(s, "pipe2-cloexec"))
    pid = start_pipe2(&err);
  else if (!strcmp(s, "fcntl-cloexec"))
    pid = start_fcntl(&err);
  else if (!strcmp(s, "hello-then-exec")) {
    int got = 0;
    pid = hello_then_exec(&got);
    if (pid > 0)
      waitpid(pid, NULL, 0);
    return pid > 0 && got == 2 ? 0 : 1;
  }
  else
    return 2;
  if (pid < 0 || err != 0)
    return 1;
  // The exec worked and we learned it at once: stop the program.
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return 0;
}

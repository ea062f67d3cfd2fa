// pipe-unclosed-write-end: a parent waits for a child that runs a filter
// (`cat`, reading its standard input until end-of-file) while it still
// holds the write end of that input: the child never sees end-of-file, so
// it never exits and the wait never returns. The warning is at the wait,
// also when a helper starts the child (the write end back through a struct
// out-parameter, the pipe made by a wrapper) and another helper waits for
// it, and also when every caller exits right after the failure (the wait
// comes first). The near miss closes the write end before it waits.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s inline hang
// RUN: %run_example %s helpers hang
// RUN: %run_example %s closes-first exit

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct filter {
  pid_t pid;
  int in;
};

static int make_pipe(int fds[2]) {
  if (pipe(fds) < 0) {
    perror("pipe");
    return -1;
  }
  return 0;
}

static int filter_start(struct filter *f) {
  int fds[2];
  if (make_pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/cat", "cat", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  f->pid = pid;
  f->in = fds[1];
  return 0;
}

static int filter_wait(struct filter *f) {
  int status;
  while (waitpid(f->pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int feed(int fd, const char *const *lines, int n) {
  for (int i = 0; i < n; i++) {
    if (lines[i][0] == '#')
      return -1; // a line the filter must not get
    if (write(fd, lines[i], strlen(lines[i])) < 0)
      return -1;
  }
  return 0;
}

static int run_inline(const char *const *lines, int n) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/cat", "cat", (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  if (feed(fds[1], lines, n) < 0) {
    int st;
    waitpid(pid, &st, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'waitpid' waits for child process 'pid', which reads its standard input until end-of-file, while this process still holds write end 'fds[1]' of that input; the child never sees end-of-file and never exits, so the wait never returns; close 'fds[1]' before waiting [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-18]]:15: note: child process 'pid' starts here; its standard input is the pipe's read end
    // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    return -1;
  }
  close(fds[1]);
  int status;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int run_helpers(const char *const *lines, int n) {
  struct filter f;
  if (filter_start(&f) < 0)
    return -1;
  if (feed(f.in, lines, n) < 0) {
    filter_wait(&f);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'filter_wait' waits for child process 'f.pid', which reads its standard input until end-of-file, while this process still holds write end 'f.in' of that input; the child never sees end-of-file and never exits, so the wait never returns; close 'f.in' before waiting [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'f.pid' starts here; its standard input is the pipe's read end
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return -1;
  }
  close(f.in);
  return filter_wait(&f);
}

static int run_closes_first(const char *const *lines, int n) {
  struct filter f;
  if (filter_start(&f) < 0)
    return -1;
  if (feed(f.in, lines, n) < 0) {
    close(f.in);
    filter_wait(&f);
    return -1;
  }
  close(f.in);
  return filter_wait(&f);
}

static const char *const bad[] = {"one\n", "# not for the filter\n", "two\n"};

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int rc;
  if (strcmp(s, "inline") == 0)
    rc = run_inline(bad, 3);
  else if (strcmp(s, "helpers") == 0)
    rc = run_helpers(bad, 3);
  else if (strcmp(s, "closes-first") == 0)
    rc = run_closes_first(bad, 3);
  else
    return 2;
  // Every caller exits right after a failure.
  return rc < 0 ? 0 : 1;
}

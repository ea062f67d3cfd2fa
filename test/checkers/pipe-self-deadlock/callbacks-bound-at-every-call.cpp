// C++ shapes of a helper analysed with the function every call in the
// translation unit gives its function-pointer (or function-reference)
// parameter: a static member function taking `void (*)(int)`, a free
// function taking `void (&)(int)`, and a captureless lambda given as the
// pointer, passed on through a lambda of the caller's, and a
// `const std::function<void(int)> &` parameter made of a lambda that
// captures (its call operator is what the call runs). In each, the child
// keeps the write end of its own input pipe while the callback reads that
// pipe to end-of-file: the child never ends, and the parent's wait never
// returns (pipe-unclosed-write-end: the child's inherited copy of the write
// end). The near miss closes the write end in the child first.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s static-member hang
// RUN: %run_example %s reference hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s std-function hang
// RUN: %run_example %s static-member-ok exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void countLines(int fd) {
  char buf[512];
  long lines = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++)
      lines += buf[i] == '\n';
  _exit(lines > 0 ? 0 : 1);
}

int feedAndWait(pid_t pid, int to) {
  int st = 0;
  (void)!write(to, "a\nb\n", 4);
  close(to);
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

struct Worker {
  // The child keeps in[1]: body() never sees end-of-file.
  static pid_t spawn(int *to, void (*body)(int)) {
    int in[2];
    if (pipe(in) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(in[0]);
      close(in[1]);
      return -1;
    }
    if (pid == 0) {
      body(in[0]);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-11]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE+128]]:17: note: every call of 'spawn' passes 'countLines' as 'body', as here
      _exit(0);
    }
    close(in[0]);
    *to = in[1];
    return pid;
  }
  // Done right.
  static pid_t spawnOk(int *to, void (*body)(int)) {
    int in[2];
    if (pipe(in) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(in[0]);
      close(in[1]);
      return -1;
    }
    if (pid == 0) {
      close(in[1]);
      body(in[0]);
      _exit(0);
    }
    close(in[0]);
    *to = in[1];
    return pid;
  }
};

pid_t spawnRef(int *to, void (&body)(int)) {
  int in[2];
  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    body(in[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+93]]:17: note: every call of 'spawnRef' passes 'countLines' as 'body', as here
    _exit(0);
  }
  close(in[0]);
  *to = in[1];
  return pid;
}

pid_t spawnGiven(int *to, void (*body)(int)) {
  int in[2];
  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    body(in[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+47]]:34: note: every call of 'spawnGiven' passes this lambda as 'body'
    _exit(0);
  }
  close(in[0]);
  *to = in[1];
  return pid;
}

pid_t spawnFunction(int *to, const std::function<void(int)> &body) {
  int in[2];
  if (pipe(in) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    body(in[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the fork() child reads 'in[0]' to end-of-file here, but it still holds its copy of the write end 'in[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'in[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+10]]:34: note: every call of 'spawnFunction' passes this lambda as 'body'
    _exit(0);
  }
  close(in[0]);
  *to = in[1];
  return pid;
}

int runFunction(int limit) {
  int to = -1;
  pid_t pid = spawnFunction(&to, [limit](int fd) {
    char buf[512];
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
      total += n;
    _exit(total > limit);
  });
  return pid < 0 || feedAndWait(pid, to);
}

pid_t startCounting(int *to, void (*fn)(int)) { return spawnGiven(to, fn); }

int runLambda() {
  int to = -1;
  pid_t pid = startCounting(&to, [](int fd) {
    char buf[512];
    while (read(fd, buf, sizeof buf) > 0) {
    }
    _exit(0);
  });
  return pid < 0 || feedAndWait(pid, to);
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int to = -1;
  std::signal(SIGPIPE, SIG_IGN);
  if (!std::strcmp(s, "static-member")) {
    pid_t pid = Worker::spawn(&to, countLines);
    return pid < 0 || feedAndWait(pid, to);
  }
  if (!std::strcmp(s, "static-member-ok")) {
    pid_t pid = Worker::spawnOk(&to, countLines);
    return pid < 0 || feedAndWait(pid, to);
  }
  if (!std::strcmp(s, "reference")) {
    pid_t pid = spawnRef(&to, countLines);
    return pid < 0 || feedAndWait(pid, to);
  }
  if (!std::strcmp(s, "lambda"))
    return runLambda();
  if (!std::strcmp(s, "std-function"))
    return runFunction(argc);
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Caller context whatever the result, in C++: a member function that
// leaks the write end of its logger pipe on a failure and returns nothing,
// called from a lambda that reports and _exit()s (silent), and from a
// member function whose caller ignores the bool result and exits after a
// message (silent). A class whose caller polls in a loop until the logger
// is gone is reported. ReportLeaksBeforeExit brings the silenced ones back
// (suffix ON).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" --
// RUN: %run_example %s lambda exit
// RUN: %run_example %s member exit
// RUN: %run_example %s loops hang

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const char LongName[] = "a-job-name-longer-than-sixteen-bytes";

int loggerChild(int rfd) {
  char buf[64];
  while (read(rfd, buf, sizeof buf) > 0)
    ;
  _exit(0);
}

class Logger {
public:
  // Starts the logger; on a name too long, leaves the write end open.
  void start(const char *name) {
    int fds[2];
    if (pipe(fds) < 0)
      return;
    pid_t child = fork();
    if (child < 0) {
      close(fds[0]);
      close(fds[1]);
      return;
    }
    if (child == 0) {
      close(fds[1]);
      loggerChild(fds[0]);
    }
    close(fds[0]);
    pid_ = child;
    if (std::strlen(name) > 16)
      return;
      // CHECK-MESSAGES-ON: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'start' returns here
      // CHECK-MESSAGES-ON: :[[@LINE-17]]:9: note: pipe created here
      // CHECK-MESSAGES-ON: :[[@LINE-4]]:9: note: taking the true branch
    wfd_ = fds[1];
  }
  bool open(const char *name) {
    start(name);
    return wfd_ >= 0;
  }
  pid_t pid_ = -1;
  int wfd_ = -1;
};

class Poller {
public:
  void start(const char *name) {
    int fds[2];
    if (pipe(fds) < 0)
      return;
    pid_t child = fork();
    if (child < 0) {
      close(fds[0]);
      close(fds[1]);
      return;
    }
    if (child == 0) {
      close(fds[1]);
      loggerChild(fds[0]);
    }
    close(fds[0]);
    pid_ = child;
    if (std::strlen(name) > 16)
      return;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'start' returns here
      // CHECK-MESSAGES: :[[@LINE-17]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    wfd_ = fds[1];
  }
  pid_t pid_ = -1;
  int wfd_ = -1;
};

void runMember(const char *name) {
  Logger l;
  l.open(name);
  std::fprintf(stderr, "logger %s\n", l.wfd_ >= 0 ? "up" : "down");
  std::exit(1);
}

void runLoops(const char *name) {
  Poller p;
  p.start(name);
  while (kill(p.pid_, 0) == 0 && waitpid(p.pid_, nullptr, WNOHANG) == 0)
    usleep(10000);
  _exit(1);
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  auto runLambda = [](const char *name) {
    Logger l;
    l.start(name);
    dprintf(2, "started\n");
    _exit(1);
  };
  pid_t pid = fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    if (s == "lambda")
      runLambda(LongName);
    else if (s == "member")
      runMember(LongName);
    else if (s == "loops")
      runLoops(LongName);
    _exit(0);
  }
  int status;
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  std::fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

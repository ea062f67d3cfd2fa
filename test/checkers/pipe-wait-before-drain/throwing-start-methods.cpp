// A function that makes a pipe in its caller's places (its object's
// members, a reference argument) and throws when a later step fails,
// leaving the pipe there: the caller's object keeps it on that path and
// closes it as on any other, so the exception is no outcome of the call.
// The call is still followed on the paths that return: the child it
// starts, the pipe it makes. (Before, one such `throw` made the whole
// function unknown, and every check was silent.)
//
// The positives: a public method that calls private start(), reap() and
// drain() in that order (the wait before the read of a child writing more
// than a pipe holds); a start helper one call further down; a pipe made by
// a helper that throws when it cannot set FD_CLOEXEC, then read to its end
// by the caller that still holds the write end.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s reap-first hang
// RUN: %run_example %s drain-first exit
// RUN: %run_example %s nested hang
// RUN: %run_example %s made-by-helper hang
// RUN: %run_example %s closed-by-caller exit

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// The child writes 200 KiB, more than a pipe holds.
void produce(int fd) {
  char line[100];
  memset(line, 'x', sizeof line);
  for (int i = 0; i < 2048; ++i)
    if (write(fd, line, sizeof line) < 0)
      _exit(1);
}

class Capture {
public:
  ~Capture() {
    if (out_[0] >= 0)
      close(out_[0]);
    if (out_[1] >= 0)
      close(out_[1]);
  }
  // The wrong order: reap() before drain().
  std::string collectWaitingFirst() {
    start();
    int status = reap();
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: reap() waits for child process 'pid_' before its output pipe 'out_[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out_[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: child process 'pid_' starts here; it writes up to 204800 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+3]]:12: note: 'out_[0]' is read only here, after the wait
    if (status != 0)
      throw std::runtime_error("producer failed");
    return drain();
  }
  // The right one.
  std::string collect() {
    start();
    std::string text = drain();
    if (reap() != 0)
      throw std::runtime_error("producer failed");
    return text;
  }

private:
  void start() {
    if (pipe(out_) < 0)
      throw std::runtime_error(strerror(errno));
    pid_ = fork();
    if (pid_ < 0)
      throw std::runtime_error(strerror(errno));
    if (pid_ == 0) {
      close(out_[0]);
      produce(out_[1]);
      _exit(0);
    }
    close(out_[1]);
    out_[1] = -1;
  }
  int reap() {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0)
      if (errno != EINTR)
        throw std::runtime_error("waitpid");
    return status;
  }
  std::string drain() {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(out_[0], buf, sizeof buf)) > 0)
      text.append(buf, size_t(n));
    close(out_[0]);
    out_[0] = -1;
    return text;
  }

  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// A start helper one call further down, filling a struct the caller owns.
struct Job {
  int rd = -1, wr = -1;
  pid_t pid = -1;
};

void openJob(Job &j) {
  int p[2];
  if (pipe(p) < 0)
    throw std::runtime_error("pipe");
  j.rd = p[0];
  j.wr = p[1];
}

void startJob(Job &j) {
  openJob(j);
  j.pid = fork();
  if (j.pid < 0)
    throw std::runtime_error("fork");
  if (j.pid == 0) {
    close(j.rd);
    produce(j.wr);
    _exit(0);
  }
  close(j.wr);
  j.wr = -1;
}

size_t runNested() {
  Job j;
  startJob(j);
  waitpid(j.pid, nullptr, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid' before its output pipe 'j.rd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.rd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: child process 'j.pid' starts here; it writes up to 204800 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+4]]:15: note: 'j.rd' is read only here, after the wait
  size_t total = 0;
  char buf[4096];
  ssize_t n;
  while ((n = read(j.rd, buf, sizeof buf)) > 0)
    total += size_t(n);
  close(j.rd);
  return total;
}

// A pipe made in the caller's array by a helper that throws when it
// cannot mark both ends close-on-exec (leaving them in the array).
void makeCloexecPipe(int (&fds)[2]) {
  if (pipe(fds) < 0)
    throw std::runtime_error("pipe");
  if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
      fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0)
    throw std::runtime_error("fcntl");
}

std::string echoThrough(bool closeFirst) {
  int fds[2];
  makeCloexecPipe(fds);
  (void)!write(fds[1], "hello\n", 6);
  if (closeFirst)
    close(fds[1]);
  std::string s;
  char buf[64];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-9]]:3: note: pipe created here
    s.append(buf, size_t(n));
  close(fds[0]);
  if (!closeFirst)
    close(fds[1]);
  return s;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "reap-first"))
    return Capture().collectWaitingFirst().size() == 204800 ? 0 : 1;
  if (!strcmp(argv[1], "drain-first"))
    return Capture().collect().size() == 204800 ? 0 : 1;
  if (!strcmp(argv[1], "nested"))
    return runNested() == 204800 ? 0 : 1;
  if (!strcmp(argv[1], "made-by-helper"))
    return echoThrough(false) == "hello\n" ? 0 : 1;
  if (!strcmp(argv[1], "closed-by-caller"))
    return echoThrough(true) == "hello\n" ? 0 : 1;
  return 2;
}

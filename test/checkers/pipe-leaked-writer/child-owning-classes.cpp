// pipe-leaked-writer for a class that owns a child process and the read
// end of its output pipe, with a destructor of its own that closes the
// read end: a static factory forks the child and returns the object built
// by a private constructor (`return ChildProcess(pid, p[0]);`), or fills
// a default-constructed one (`c.pid_ = pid; c.out_ = p[0]; return c;`);
// the child's code may be a lambda given as a std::function.
// The caller reads only the first bytes and then calls wait() (a method
// that waits for the member pid) while the object still holds the read
// end, which only the destructor closes, after the wait: the child, with
// 1 MiB left to write, is blocked on the full pipe, and the wait never
// returns. The near miss closes the read end (a method) before the wait:
// the child's next write fails with EPIPE and it exits.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s factory-wait-first hang
// RUN: %run_example %s filled-wait-first hang
// RUN: %run_example %s function-wait-first hang
// RUN: %run_example %s factory-close-first exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <utility>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void emitMib(int fd) {
  char block[4096];
  std::memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      _exit(1);
  _exit(0);
}

class ChildProcess {
public:
  ChildProcess(ChildProcess &&o) noexcept
      : pid_(std::exchange(o.pid_, -1)), out_(std::exchange(o.out_, -1)) {}
  ChildProcess &operator=(ChildProcess &&) = delete;
  ~ChildProcess() { closeOutput(); }

  static ChildProcess spawn() {
    int p[2];
    if (pipe(p) < 0)
      return ChildProcess(-1, -1);
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      emitMib(p[1]);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      return ChildProcess(-1, -1);
    }
    return ChildProcess(pid, p[0]);
  }

  // The child runs body(p[1]).
  static ChildProcess run(const std::function<void(int)> &body) {
    int p[2];
    if (pipe(p) < 0)
      return ChildProcess(-1, -1);
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      body(p[1]);
      _exit(0);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      return ChildProcess(-1, -1);
    }
    return ChildProcess(pid, p[0]);
  }

  int output() const { return out_; }

  void closeOutput() {
    if (out_ >= 0) {
      close(out_);
      out_ = -1;
    }
  }

  int wait() {
    int status = 0;
    if (pid_ > 0)
      waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

private:
  ChildProcess(pid_t pid, int out) : pid_(pid), out_(out) {}
  pid_t pid_ = -1;
  int out_ = -1;
};

class Producer {
public:
  Producer() = default;
  Producer(Producer &&o) noexcept
      : pid_(std::exchange(o.pid_, -1)), out_(std::exchange(o.out_, -1)) {}
  Producer &operator=(Producer &&) = delete;
  ~Producer() {
    if (out_ >= 0)
      close(out_);
  }

  static Producer start() {
    Producer c;
    int p[2];
    if (pipe(p) < 0)
      return c;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      emitMib(p[1]);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      return c;
    }
    c.pid_ = pid;
    c.out_ = p[0];
    return c;
  }

  int fd() const { return out_; }

  int finish() {
    int status = 0;
    if (pid_ > 0)
      waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

private:
  pid_t pid_ = -1;
  int out_ = -1;
};

bool headerIs(int fd, const char *magic) {
  char head[4];
  return read(fd, head, sizeof head) == 4 && std::memcmp(head, magic, 4) == 0;
}

int factoryWaitFirst() {
  ChildProcess c = ChildProcess::spawn();
  bool ok = headerIs(c.output(), "xxxx");
  int st = c.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: child process 'c.pid_' is waited for here while the read end 'c.out_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; call 'c.closeOutput()', which closes 'c.out_', first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-4]]:20: note: child process 'c.pid_' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:20: note: pipe created here
  return ok && WIFEXITED(st) ? 0 : 1;
}

int filledWaitFirst() {
  Producer p = Producer::start();
  bool ok = headerIs(p.fd(), "xxxx");
  int st = p.finish();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: child process 'p.pid_' is waited for here while the read end 'p.out_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p.out_' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-4]]:16: note: child process 'p.pid_' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: pipe created here
  return ok && WIFEXITED(st) ? 0 : 1;
}

int functionWaitFirst(int blocks) {
  ChildProcess c = ChildProcess::run([blocks](int fd) {
    char block[4096];
    std::memset(block, 'x', sizeof block);
    for (int i = 0; i < blocks; i++)
      if (write(fd, block, sizeof block) < 0)
        _exit(1);
  });
  bool ok = headerIs(c.output(), "xxxx");
  int st = c.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: child process 'c.pid_' is waited for here while the read end 'c.out_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; call 'c.closeOutput()', which closes 'c.out_', first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-10]]:20: note: child process 'c.pid_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-11]]:20: note: pipe created here
  return ok && WIFEXITED(st) ? 0 : 1;
}

int factoryCloseFirst() {
  ChildProcess c = ChildProcess::spawn();
  bool ok = headerIs(c.output(), "xxxx");
  c.closeOutput();
  c.wait();
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (!std::strcmp(s, "factory-wait-first"))
    return factoryWaitFirst();
  if (!std::strcmp(s, "filled-wait-first"))
    return filledWaitFirst();
  if (!std::strcmp(s, "function-wait-first"))
    return functionWaitFirst(256);
  if (!std::strcmp(s, "factory-close-first"))
    return factoryCloseFirst();
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

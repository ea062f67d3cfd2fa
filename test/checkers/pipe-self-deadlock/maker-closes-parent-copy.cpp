// A class that makes a pipe in its members and starts a child writing to
// it, then closes its own copy of the write end in the same method (the
// usual parent side of fork()). Only a failure path (fork() failed, the
// second pipe() failed) leaves the write end in the member, and the
// caller gives up on that path. A later method reading the read end to
// end-of-file therefore does not hold the write end, and the class does
// not leak it on every object: neither check may say so. The close may be
// the method's own, a helper's (`closeEnd(out_[1])`), or a constructor's.
//
// The positive: the same class without the close after fork(). Its
// drain() never ends, and no method closes the write end.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s start exit
// RUN: %run_example %s helper exit
// RUN: %run_example %s ctor exit
// RUN: %run_example %s two-pipes exit
// RUN: %run_example %s leaky hang

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

std::string readAll(int fd) {
  std::string s;
  char buf[64];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    s.append(buf, size_t(n));
  return s;
}

void closeEnd(int &fd) {
  close(fd);
  fd = -1;
}

// start() closes the parent's copy itself.
class Producer {
public:
  ~Producer() {
    if (out_[0] >= 0)
      close(out_[0]);
  }
  bool start() {
    if (pipe(out_) < 0)
      return false;
    pid_ = fork();
    if (pid_ < 0)
      return false;
    if (pid_ == 0) {
      close(out_[0]);
      (void)!write(out_[1], "hello\n", 6);
      _exit(0);
    }
    close(out_[1]);
    out_[1] = -1;
    return true;
  }
  std::string drain() {
    std::string s = readAll(out_[0]);
    waitpid(pid_, nullptr, 0);
    return s;
  }

private:
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// The same, through a helper that closes the member it is given.
class HelperProducer {
public:
  ~HelperProducer() {
    if (fds_[0] >= 0)
      close(fds_[0]);
  }
  bool launch() {
    if (pipe(fds_) < 0)
      return false;
    pid_ = fork();
    if (pid_ < 0)
      return false;
    if (pid_ == 0) {
      (void)!write(fds_[1], "hello\n", 6);
      _exit(0);
    }
    closeEnd(fds_[1]);
    return true;
  }
  std::string drain() {
    std::string s;
    char buf[64];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
      s.append(buf, size_t(n));
    waitpid(pid_, nullptr, 0);
    return s;
  }

private:
  int fds_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// A constructor that starts the child; it throws on the failure paths,
// with nothing left open.
class Started {
public:
  explicit Started(const char *msg) {
    if (pipe(out_) < 0)
      throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) {
      close(out_[0]);
      close(out_[1]);
      throw std::runtime_error("fork");
    }
    if (pid_ == 0) {
      (void)!write(out_[1], msg, strlen(msg));
      _exit(0);
    }
    close(out_[1]);
  }
  ~Started() { close(out_[0]); }
  std::string result() {
    std::string s = readAll(out_[0]);
    waitpid(pid_, nullptr, 0);
    return s;
  }

private:
  int out_[2];
  pid_t pid_;
};

// Two pipes (the child's input and output); the second pipe() may fail
// with the first one open.
class Filter {
public:
  ~Filter() {
    if (in_[1] >= 0)
      close(in_[1]);
    if (out_[0] >= 0)
      close(out_[0]);
  }
  bool start() {
    if (pipe(in_) < 0 || pipe(out_) < 0)
      return false;
    pid_ = fork();
    if (pid_ < 0)
      return false;
    if (pid_ == 0) {
      dup2(in_[0], 0);
      dup2(out_[1], 1);
      close(in_[0]);
      close(in_[1]);
      close(out_[0]);
      close(out_[1]);
      execlp("cat", "cat", (char *)nullptr);
      _exit(127);
    }
    close(in_[0]);
    close(out_[1]);
    in_[0] = out_[1] = -1;
    return true;
  }
  void send(const char *s) { (void)!write(in_[1], s, strlen(s)); }
  std::string finish() {
    close(in_[1]);
    in_[1] = -1;
    std::string s = readAll(out_[0]);
    waitpid(pid_, nullptr, 0);
    return s;
  }

private:
  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// The bug: the parent keeps its copy of the write end.
class Leaky {
public:
  ~Leaky() {
    if (out_[0] >= 0)
      close(out_[0]);
  }
  bool start() {
    if (pipe(out_) < 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: write end 'out_[1]' of this pipe is kept in a member of 'Leaky' that no method of 'Leaky' closes, not even its destructor: every 'Leaky' object leaks it; close 'out_[1]' in the destructor [pipe-unclosed-write-end]
      return false;
    pid_ = fork();
    if (pid_ < 0)
      return false;
    if (pid_ == 0) {
      close(out_[0]);
      (void)!write(out_[1], "hello\n", 6);
      _exit(0);
    }
    return true;
  }
  std::string drain() {
    std::string s;
    char buf[64];
    ssize_t n;
    while ((n = read(out_[0], buf, sizeof buf)) > 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'out_[0]' until end-of-file never ends: the object still holds the write end 'out_[1]' in a member that nothing in its class closes; close 'out_[1]' before reading to the end [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE-19]]:9: note: pipe created here
      s.append(buf, size_t(n));
    waitpid(pid_, nullptr, 0);
    return s;
  }

private:
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string got;
  if (!strcmp(argv[1], "start")) {
    Producer p;
    if (!p.start())
      return 1;
    got = p.drain();
  } else if (!strcmp(argv[1], "helper")) {
    HelperProducer p;
    if (!p.launch())
      return 1;
    got = p.drain();
  } else if (!strcmp(argv[1], "ctor")) {
    Started s("hello\n");
    got = s.result();
  } else if (!strcmp(argv[1], "two-pipes")) {
    Filter f;
    if (!f.start())
      return 1;
    f.send("hello\n");
    got = f.finish();
  } else if (!strcmp(argv[1], "leaky")) {
    Leaky l;
    if (!l.start())
      return 1;
    got = l.drain();
  } else {
    return 2;
  }
  return got == "hello\n" ? 0 : 1;
}

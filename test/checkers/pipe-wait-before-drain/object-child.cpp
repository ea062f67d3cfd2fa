// pipe-wait-before-drain with the child started by a local object's
// constructor: Child's constructor makes the output pipe, forks `seq 1 N`
// with its output on it and throws if pipe() or fork() fails; wait() waits
// for the child and output() reads the pipe to end-of-file. Waiting first
// hangs once the child has more to write than the pipe holds (64 KiB);
// three lines fit. The near-miss reads first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s wait-first-small exit
// RUN: %run_example %s read-first exit

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

class Child {
public:
  explicit Child(const char *last) {
    if (::pipe(out_) != 0)
      throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) {
      ::close(out_[0]);
      ::close(out_[1]);
      throw std::runtime_error("fork");
    }
    if (pid_ == 0) {
      ::dup2(out_[1], STDOUT_FILENO);
      ::close(out_[0]);
      ::close(out_[1]);
      ::execlp("seq", "seq", "1", last, (char *)nullptr);
      ::_exit(127);
    }
    ::close(out_[1]);
  }
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;
  ~Child() { ::close(out_[0]); }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return status;
  }
  std::string output() {
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_[0], buf, sizeof buf)) > 0)
      all.append(buf, size_t(n));
    return all;
  }

private:
  int out_[2];
  pid_t pid_;
};

static size_t wait_first(const char *last) {
  Child c(last);
  c.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: wait() waits for child process 'c.pid_' before its output pipe 'c.out_[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out_[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:9: note: child process 'c.pid_' starts here; it makes 'c.out_[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-4]]:9: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:10: note: 'c.out_[0]' is read only here, after the wait
  return c.output().size();
}

static size_t read_first(const char *last) {
  Child c(last);
  std::string out = c.output();
  c.wait();
  return out.size();
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "wait-first"))
    return wait_first("100000") > 0 ? 0 : 1;
  if (!std::strcmp(s, "wait-first-small"))
    return wait_first("3") == 6 ? 0 : 1;
  if (!std::strcmp(s, "read-first"))
    return read_first("100000") > 65536 ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

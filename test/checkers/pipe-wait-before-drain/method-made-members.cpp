// pipe-wait-before-drain in a member function that makes the pipe in the
// object's members and keeps the child's pid in another (`pipe(out_)`,
// `pid_ = fork()`): `*this` is followed as a pointer parameter's pointee is,
// so the wait on `pid_` before `out_[0]` is read is the same defect as with
// locals. The child writes 100000 bytes, more than the pipe holds: the
// finding hangs; the near miss reads the output first, through a private
// member function, and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s drain-first exit

#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

char *const big_output[] = {const_cast<char *>("sh"), const_cast<char *>("-c"),
                            const_cast<char *>("head -c 100000 /dev/zero"),
                            nullptr};

class Capture {
public:
  // Waits for the child, then reads what it wrote.
  int runWaitFirst() {
    if (pipe(out_) < 0)
      return -1;
    pid_ = fork();
    if (pid_ < 0) {
      close(out_[0]);
      close(out_[1]);
      return -1;
    }
    if (pid_ == 0) {
      dup2(out_[1], 1);
      close(out_[0]);
      close(out_[1]);
      execvp(big_output[0], big_output);
      _exit(127);
    }
    close(out_[1]);
    int status = 0;
    waitpid(pid_, &status, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'pid_' before its output pipe 'out_[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out_[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-17]]:12: note: child process 'pid_' starts here; it makes 'out_[1]' its standard output, where it may write any amount
    // CHECK-MESSAGES: :[[@LINE-20]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'out_[0]' is read only here, after the wait
    bytes_ = drain();
    close(out_[0]);
    return status;
  }

  // The same child; its output is read to the end before the wait.
  int runDrainFirst() {
    if (pipe(out_) < 0)
      return -1;
    pid_ = fork();
    if (pid_ < 0) {
      close(out_[0]);
      close(out_[1]);
      return -1;
    }
    if (pid_ == 0) {
      dup2(out_[1], 1);
      close(out_[0]);
      close(out_[1]);
      execvp(big_output[0], big_output);
      _exit(127);
    }
    close(out_[1]);
    bytes_ = drain();
    close(out_[0]);
    int status = 0;
    waitpid(pid_, &status, 0);
    return status;
  }

  size_t bytes() const { return bytes_; }

private:
  size_t drain() {
    char buf[4096];
    size_t total = 0;
    ssize_t n;
    while ((n = read(out_[0], buf, sizeof buf)) > 0)
      total += size_t(n);
    return total;
  }

  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
  size_t bytes_ = 0;
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  Capture c;
  if (s == "wait-first")
    return c.runWaitFirst() != 0 || c.bytes() != 100000;
  if (s == "drain-first")
    return c.runDrainFirst() != 0 || c.bytes() != 100000;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// pipe-wait-before-drain in C++, with the child's pid and output pipe in
// data members of a class: start() forks `seq 1 LAST` with its output on
// the member pipe, wait() waits for it, read_all() reads the output to
// end-of-file. The caller waits before it reads: the child fills the pipe
// and blocks, and the wait never returns. The "-ok" scenario prints three
// lines, which fit; the near-miss reads first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s wait-then-read hang
// RUN: %run_example %s wait-then-read-ok exit
// RUN: %run_example %s read-then-wait exit

#include <cstdio>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

class Command {
public:
  bool start(const char *last) {
    if (pipe(out_) < 0)
      return false;
    pid_ = fork();
    if (pid_ < 0) {
      close(out_[0]);
      close(out_[1]);
      return false;
    }
    if (pid_ == 0) {
      dup2(out_[1], STDOUT_FILENO);
      close(out_[0]);
      close(out_[1]);
      execlp("seq", "seq", "1", last, static_cast<char *>(nullptr));
      _exit(127);
    }
    close(out_[1]);
    return true;
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    return status;
  }
  std::string read_all() {
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = read(out_[0], buf, sizeof buf)) > 0)
      s.append(buf, size_t(n));
    close(out_[0]);
    return s;
  }

private:
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

std::string output_of(const char *last) {
  Command c;
  if (!c.start(last))
    return "";
  // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: wait() waits for child process 'c.pid_' before its output pipe 'c.out_[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out_[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :62:8: note: child process 'c.pid_' starts here; it makes 'c.out_[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :62:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:10: note: 'c.out_[0]' is read only here, after the wait
  if (c.wait() != 0)
    return "";
  return c.read_all();
}

// Near miss: read to the end, then wait.
std::string output_read_first(const char *last) {
  Command c;
  if (!c.start(last))
    return "";
  std::string s = c.read_all();
  if (c.wait() != 0)
    return "";
  return s;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "wait-then-read") == 0)
    return output_of("100000").empty();
  if (std::strcmp(s, "wait-then-read-ok") == 0)
    return output_of("3") != "1\n2\n3\n";
  if (std::strcmp(s, "read-then-wait") == 0)
    return output_read_first("100000").empty();
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

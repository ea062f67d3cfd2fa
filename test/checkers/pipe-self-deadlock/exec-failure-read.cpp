// pipe-self-deadlock in C++: a single read of a child's output while this
// process still holds the write end, when the child runs a program and, if
// the exec fails, exits without writing (see exec-failure-read.c): in a
// member function, and with the child started by a lambda. The failed
// child's exit closes only its own copy of the write end, and the read
// waits forever. The "-ok" scenarios run a program that prints.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s member-missing hang
// RUN: %run_example %s member-ok exit
// RUN: %run_example %s lambda-missing hang
// RUN: %run_example %s lambda-ok exit
// RUN: %run_example %s near-lambda-closes exit

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

class Probe {
public:
  explicit Probe(std::string tool) : tool_(std::move(tool)) {}

  // Returns the number the tool prints.
  int version() {
    int p[2];
    if (pipe(p) < 0)
      return -1;
    pid_t pid;
    if ((pid = fork()) == 0) {
      dup2(p[1], STDOUT_FILENO);
      execl(tool_.c_str(), tool_.c_str(), "3", static_cast<char *>(nullptr));
      std::fputs("probe: cannot run the tool\n", stderr);
      _exit(127);
    }
    if (pid < 0) {
      close(p[0]);
      close(p[1]);
      return -1;
    }
    std::array<char, 16> buf{};
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: read from 'p[0]' blocks forever if child process 'pid' exits without writing to the pipe, as it does when its exec fails: this process still holds the write end 'p[1]', so the read never sees end-of-file; close 'p[1]' before reading [pipe-self-deadlock]
    // CHECK-MESSAGES: :32:16: note: child process 'pid' starts here
    // CHECK-MESSAGES: :36:7: note: when its exec fails, the child exits here without writing to 'p[1]'
    // CHECK-MESSAGES: :29:9: note: pipe created here
    read(p[0], buf.data(), buf.size() - 1);
    close(p[0]);
    close(p[1]);
    return std::atoi(buf.data());
  }

private:
  std::string tool_;
};

// The child started by a lambda that returns its pid.
int lambda_child(const char *tool, bool close_first) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  auto start = [tool](int out) {
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out, STDOUT_FILENO);
      execlp(tool, tool, "8", static_cast<char *>(nullptr));
      _exit(127);
    }
    return pid;
  };
  pid_t pid = start(p[1]);
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (close_first)
    close(p[1]);
  char buf[16] = {};
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: read from 'p[0]' blocks forever if child process 'pid' exits without writing to the pipe, as it does when its exec fails: this process still holds the write end 'p[1]', so the read never sees end-of-file; close 'p[1]' before reading [pipe-self-deadlock]
  // CHECK-MESSAGES: :72:15: note: child process 'pid' starts here
  // CHECK-MESSAGES: :68:7: note: when its exec fails, the child exits here without writing to 'p[1]'
  // CHECK-MESSAGES: :61:7: note: pipe created here
  read(p[0], buf, sizeof buf - 1);
  close(p[0]);
  if (!close_first)
    close(p[1]);
  return std::atoi(buf);
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "member-missing") == 0)
    return Probe("/nonexistent/tool").version();
  if (std::strcmp(s, "member-ok") == 0)
    return Probe("/bin/echo").version() != 3;
  if (std::strcmp(s, "lambda-missing") == 0)
    return lambda_child("/nonexistent/tool", false);
  if (std::strcmp(s, "lambda-ok") == 0)
    return lambda_child("echo", false) != 8;
  if (std::strcmp(s, "near-lambda-closes") == 0)
    return lambda_child("/nonexistent/tool", true) != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

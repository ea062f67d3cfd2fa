// pipe-wait-before-drain in C++: a command record started by its own
// member function `start()` (it forks into `pid` and makes `out` the
// child's standard output) and waited for by `finish()`. The caller
// finishes the command before reading its output: `seq 1 100000` fills
// the pipe (64 KiB) and blocks, so the wait never returns; the "-ok"
// scenario prints three lines and finishes. The near-miss reads the output
// to end-of-file first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S -std=c++17
// RUN: %run_example %s finish-before-read hang
// RUN: %run_example %s finish-before-read-ok exit
// RUN: %run_example %s read-then-finish exit

#include <cstdio>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

// A command record with its own start and finish (as git's child_process
// with start_command() and finish_command()); the caller fills it in.
struct Command {
  const char *last = nullptr; // seq 1 LAST
  int out = -1;               // becomes the child's standard output
  pid_t pid = -1;
  int status = 0;

  // Starts `seq 1 LAST` writing to out; 0, or -1.
  int start() {
    pid = fork();
    if (pid < 0)
      return -1;
    if (pid == 0) {
      dup2(out, STDOUT_FILENO);
      execlp("seq", "seq", "1", last, (char *)nullptr);
      _exit(127);
    }
    return 0;
  }
  // Waits for the command; its exit status, or -1.
  int finish() {
    if (waitpid(pid, &status, 0) < 0)
      return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

long command_output(const char *last, bool read_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Command cmd;
  cmd.last = last;
  cmd.out = fds[1];
  if (cmd.start() < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  close(fds[1]);
  long n = -1;
  if (read_first)
    n = drain(fds[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:7: warning: finish() waits for child process 'cmd.pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: child process 'cmd.pid' starts here; it makes 'fds[1]' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+7]]:9: note: 'fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the false branch
  if (cmd.finish() != 0) {
    close(fds[0]);
    return -1;
  }
  if (!read_first)
    n = drain(fds[0]);
  close(fds[0]);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "finish-before-read")
    return command_output("100000", false) != 588895;
  if (s == "finish-before-read-ok")
    return command_output("3", false) != 6;
  if (s == "read-then-finish")
    return command_output("100000", true) != 588895;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

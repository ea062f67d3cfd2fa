// pipe-wait-before-drain with the pipe's ends moved into descriptor
// wrappers by a move assignment that tests for self-assignment first
// (`out = UniqueFd(fds[0]);`, `if (this != &o)`): the engine follows the
// ends into the wrappers, so the wait for the child before its output is
// read is seen. The child runs `seq 1 N`; waiting first hangs once it has
// more to write than the pipe holds (64 KiB). The near miss reads first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -std=c++17 -I%S
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s read-first exit

#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#include "../Inputs/unique-fd.h"

static std::string read_to_end(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    s.append(buf, static_cast<size_t>(n));
  return s;
}

static std::string capture(bool wait_first) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  UniqueFd out, in;
  out = UniqueFd(fds[0]);
  in = UniqueFd(fds[1]);
  pid_t pid = ::fork();
  if (pid < 0)
    return "";
  if (pid == 0) {
    ::dup2(in.get(), 1);
    ::execlp("seq", "seq", "1", "100000", (char *)nullptr);
    ::_exit(127);
  }
  in.reset();
  int st = 0;
  std::string text;
  if (wait_first) {
    ::waitpid(pid, &st, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-14]]:15: note: child process 'pid' starts here; it makes 'fds[1]' its standard output, where it may write any amount
    // CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:12: note: 'fds[0]' is read only here, after the wait
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    text = read_to_end(out.get());
  } else {
    text = read_to_end(out.get());
    ::waitpid(pid, &st, 0);
  }
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? text : "";
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  if (s == "wait-first")
    return capture(true).empty() ? 1 : 0;
  if (s == "read-first")
    return capture(false).empty() ? 1 : 0;
  return 2;
}

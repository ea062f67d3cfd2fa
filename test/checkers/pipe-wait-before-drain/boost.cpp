// pipe-wait-before-drain with Boost.Process v1: `bp::child c(cmd,
// bp::std_out > out)` makes the child's standard output a pipe that the
// ipstream `out` reads. c.wait() before reading `out` waits for a child that
// blocks as soon as it has written more than the pipe holds (64 KiB): the
// same hang as waitpid() before read(). Boost.Process's own documentation
// warns about it; the fix is to read first, then wait.
//
// The "-small" scenario runs the same function with a command whose output
// fits in the pipe: it finishes, which is why this bug survives testing.
//
// REQUIRES: boost
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -std=c++17
// RUN: %run_example %s wait-then-read hang -- -Wl,--no-as-needed -lboost_filesystem
// RUN: %run_example %s wait-then-read-small exit -- -Wl,--no-as-needed -lboost_filesystem
// RUN: %run_example %s read-then-wait exit -- -Wl,--no-as-needed -lboost_filesystem

#include <boost/process.hpp>
#include <cstring>
#include <string>

namespace bp = boost::process;

// Returns the command's output, or "" when it failed.
std::string command_output(const std::string &cmd) {
  bp::ipstream out;
  bp::child c(cmd, bp::std_out > out);
  c.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: wait() waits for child process 'c' before its output pipe 'out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: child process 'c' starts here; it makes {{.*}} its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+4]]:10: note: 'out' is read only here, after the wait
  if (c.exit_code() != 0)
    return "";
  std::string all, line;
  while (std::getline(out, line))
    all += line + "\n";
  return all;
}

// The fix: read to end-of-file, then wait.
std::string command_output_fixed(const std::string &cmd) {
  bp::ipstream out;
  bp::child c(cmd, bp::std_out > out);
  std::string all, line;
  while (std::getline(out, line))
    all += line + "\n";
  c.wait();
  return c.exit_code() == 0 ? all : "";
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "wait-then-read") == 0)
    return command_output("/usr/bin/seq 1 100000").empty();
  if (std::strcmp(s, "wait-then-read-small") == 0)
    return command_output("/usr/bin/seq 1 10").empty();
  if (std::strcmp(s, "read-then-wait") == 0)
    return command_output_fixed("/usr/bin/seq 1 100000").size() != 588895;
  return 2;
}

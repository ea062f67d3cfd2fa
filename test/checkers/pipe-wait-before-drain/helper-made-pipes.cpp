// pipe-wait-before-drain in C++ when the helper that starts the child
// makes both of its pipes and returns the parent's ends and the pid in a
// struct by value (`Filter f = start_filter("cat");`). The caller writes
// all of its input to the child's standard input before it reads the
// child's output: `cat` stops reading once its output pipe is full
// (64 KiB), so the write of 1 MiB never finishes. The "-small" scenario
// writes 3 bytes, which fit, and finishes; the near-miss writes a constant
// 6-byte line before reading.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S -std=c++17
// RUN: %run_example %s feed-all-first hang
// RUN: %run_example %s feed-all-first-small exit
// RUN: %run_example %s short-line-first exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

namespace {

struct Filter {
  pid_t pid = -1;
  int in = -1;  // the child's standard input, our end
  int out = -1; // the child's standard output, our end
};

// Starts PROG with both standard streams on pipes; pid -1 on failure.
Filter start_filter(const char *prog) {
  Filter f;
  int to[2], from[2];
  if (pipe(to) != 0)
    return f;
  if (pipe(from) != 0) {
    close(to[0]);
    close(to[1]);
    return f;
  }
  f.pid = fork();
  if (f.pid == 0) {
    dup2(to[0], STDIN_FILENO);
    dup2(from[1], STDOUT_FILENO);
    close(to[0]);
    close(to[1]);
    close(from[0]);
    close(from[1]);
    execlp(prog, prog, (char *)nullptr);
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  if (f.pid < 0) {
    close(to[1]);
    close(from[0]);
    return f;
  }
  f.in = to[1];
  f.out = from[0];
  return f;
}

long feed_all_first(size_t bytes) {
  Filter f = start_filter("cat");
  if (f.pid < 0)
    return -1;
  std::vector<char> data(bytes, 'a');
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: writing an amount we cannot bound to the standard input 'f.in' of child process 'f.pid' before reading its standard output 'f.out' can deadlock: once the output pipe is full (65536 bytes) the child stops reading its input, and this write never finishes; write from another thread, or poll both pipes [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: child process 'f.pid' starts here; it makes 'from[1] in start_filter()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: output pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:12: note: 'f.out' is read only here, after the write
  write_all(f.in, data.data(), data.size());
  close(f.in);
  long n = drain(f.out);
  close(f.out);
  int status = 0;
  waitpid(f.pid, &status, 0);
  return n;
}

// Near-miss: one short line, far less than the pipe holds.
long short_line_first() {
  Filter f = start_filter("cat");
  if (f.pid < 0)
    return -1;
  write_all(f.in, "hello\n", 6);
  close(f.in);
  long n = drain(f.out);
  close(f.out);
  int status = 0;
  waitpid(f.pid, &status, 0);
  return n;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "feed-all-first")
    return feed_all_first(1 << 20) != (1 << 20);
  if (s == "feed-all-first-small")
    return feed_all_first(3) != 3;
  if (s == "short-line-first")
    return short_line_first() != 6;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

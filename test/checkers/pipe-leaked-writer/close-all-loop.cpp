// pipe-leaked-writer in C++: writer children that close descriptors in a
// loop over their numbers (close-all-loop-near-miss.c has the loops that
// close the read end). Here the loop keeps the read end as well (a keep
// list that names both ends of the pipe, a loop that starts above the
// pipe's numbers is not one of them: it is lost, see the near misses), so
// the child still holds a reader of the pipe; the parent gives up after
// one byte, closes its read end and waits, and the wait hangs. The "-ok"
// scenarios read everything and finish. The fork is in a member function,
// tested as a bool kept in a variable (the failure branch has no child).
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s keeps-both hang
// RUN: %run_example %s keeps-both-ok exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

class Exporter {
public:
  // Starts the exporter child; on success returns the first byte of its
  // output, or everything it wrote when 'all' is set.
  long run(bool all) {
    int p[2] = {-1, -1};
    pid_t pid = -1;
    bool started = pipe(p) == 0 && (pid = fork()) != -1;
    if (!started) {
      if (p[0] != -1) {
        close(p[0]);
        close(p[1]);
      }
      return -1;
    }
    if (pid == 0) {
      for (int fd = 3; fd < getdtablesize(); ++fd) {
        if (fd == p[0] || fd == p[1])
          continue;
        close(fd);
      }
      write_filled(p[1], 'x', 'x', MIB);
      _exit(0);
    }
    close(p[1]);
    if (all) {
      long n = drain(p[0]);
      close(p[0]);
      waitpid(pid, nullptr, 0);
      return n;
    }
    char c = 0;
    read_full(p[0], &c, 1);
    close(p[0]);
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: child process 'pid' is waited for here, but it still holds its own copy of the read end 'p[0]', inherited at fork() and never closed in the child: closing 'p[0]' in this process does not make its write fail with EPIPE, so it stays blocked on the full pipe and this hangs; close 'p[0]' in the child before it writes [pipe-leaked-writer]
    // CHECK-MESSAGES: :30:43: note: child process 'pid' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :44:7: note: the child writes here with its copy of 'p[0]' still open
    // CHECK-MESSAGES: :30:20: note: pipe created here
    // CHECK-MESSAGES: :48:9: note: taking the false branch
    waitpid(pid, nullptr, 0);
    return c;
  }
};

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  Exporter e;
  if (std::strcmp(s, "keeps-both") == 0)
    return e.run(false) != 'x';
  if (std::strcmp(s, "keeps-both-ok") == 0)
    return e.run(true) != MIB;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

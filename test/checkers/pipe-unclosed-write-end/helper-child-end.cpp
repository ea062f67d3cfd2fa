// pipe-unclosed-write-end in C++ for a member function that makes a pipe
// into its object's members, forks a child whose standard output is the
// write end, and returns with the parent's copy of that write end still
// in the member `wr`. The caller reads `rd` to end-of-file and never sees
// it (hang); the report goes to `start()`, where the close belongs. The
// near-miss caller closes `l.wr` before it reads, and finishes.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s member-start hang
// RUN: %run_example %s caller-closes exit

#include <cstdio>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct Lister {
  pid_t pid = -1;
  int rd = -1, wr = -1;

  // Starts `seq 1 LAST` writing to a new pipe kept in rd/wr; 0, or -1.
  int start(const char *last) {
    int p[2];
    if (pipe(p) != 0)
      return -1;
    rd = p[0];
    wr = p[1];
    pid = fork();
    if (pid < 0) {
      close(p[0]);
      close(p[1]);
      return -1;
    }
    if (pid == 0) {
      dup2(wr, STDOUT_FILENO);
      close(rd);
      close(wr);
      execlp("seq", "seq", "1", last, (char *)nullptr);
      _exit(127);
    }
    // CHECK-MESSAGES: :[[@LINE+2]]:5: warning: write end 'wr' of the pipe that 'start' makes its child's standard output is still open in the parent when 'start' returns here, and 'member_start' does not close it either; readers of the pipe never see end-of-file while the parent holds it; close 'wr' in the parent right after fork() [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-18]]:9: note: pipe created here
    return 0;
  }
};

static long count_lines(int fd) {
  long n = 0;
  char c;
  while (read(fd, &c, 1) == 1)
    n += c == '\n';
  return n;
}

long member_start(const char *last) {
  Lister l;
  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: 'member_start' gets it here as 'l.wr'
  if (l.start(last) != 0)
    return -1;
  long n = count_lines(l.rd);
  close(l.rd);
  waitpid(l.pid, nullptr, 0);
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: and returns here with 'l.wr' still open
  return n;
}

// Near-miss: the caller closes the write end it was handed.
long caller_closes(const char *last) {
  Lister l;
  if (l.start(last) != 0)
    return -1;
  close(l.wr);
  long n = count_lines(l.rd);
  close(l.rd);
  waitpid(l.pid, nullptr, 0);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "member-start")
    return member_start("3") != 3;
  if (s == "caller-closes")
    return caller_closes("3") != 3;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

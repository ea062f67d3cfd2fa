// pipe-self-deadlock in C++ (issue 17): a single read of a pipe whose only
// other holder is a fork() child that writes nothing to it, in a member
// function with the ends in a std::array (hang). Near-misses, silent and
// finishing: the child writes a known amount; the parent closes its write
// end before the read. And a loop writing lines of a size the check does
// not know before reading the first back (hang), next to the same loop that
// reads each line back as it goes (finishes).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s silent-child hang
// RUN: %run_example %s child-writes exit
// RUN: %run_example %s parent-closed exit
// RUN: %run_example %s lines hang
// RUN: %run_example %s lines-echoed exit

#include <array>
#include <cstdio>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

class Probe {
public:
  /* Forks a child that writes one status byte, then reads it. */
  int child_writes()
  {
    std::array<int, 2> fds;
    char c = 0;

    if (pipe(fds.data()) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    if (pid == 0) {
      close(fds[0]);
      write(fds[1], "k", 1);
      _exit(0);
    }
    waitpid(pid, nullptr, 0);
    read(fds[0], &c, 1);
    close(fds[0]);
    close(fds[1]);
    return c;
  }

  /* Forks a child that only closes its ends, then reads its status byte. */
  int silent_child()
  {
    std::array<int, 2> fds;
    char c = 0;

    if (pipe(fds.data()) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    if (pid == 0) {
      close(fds[0]);
      close(fds[1]);
      _exit(0);
    }
    waitpid(pid, nullptr, 0);
    read(fds[0], &c, 1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: read from 'fds[0]' blocks forever: this thread holds the write end 'fds[1]' and has written nothing to it, and the only other holder, child process 'pid', has exited without writing to it; write to 'fds[1]' first, or close 'fds[1]' before reading to get end-of-file [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-14]]:17: note: child process 'pid' starts here; it writes nothing to 'fds[1]'
    // CHECK-MESSAGES: :[[@LINE-17]]:9: note: pipe created here
    close(fds[0]);
    close(fds[1]);
    return c;
  }

  ssize_t parent_closed()
  {
    std::array<int, 2> fds;
    char c = 0;

    if (pipe(fds.data()) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    if (pid == 0) {
      close(fds[0]);
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    waitpid(pid, nullptr, 0);
    ssize_t n = read(fds[0], &c, 1);
    close(fds[0]);
    return n;
  }
};

/* Writes a mark and every line into a pipe, then reads the first bytes
 * back. */
std::string first_line(const std::vector<std::string> &lines)
{
  std::array<int, 2> fds;
  char buf[64];

  if (pipe(fds.data()) < 0)
    return "";
  write(fds[1], "#", 1);
  for (const std::string &line : lines)
    write(fds[1], line.data(), line.size());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing an amount that grows with the loop to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  ssize_t n = read(fds[0], buf, sizeof buf);
  close(fds[0]);
  close(fds[1]);
  return n > 0 ? std::string(buf, size_t(n)) : "";
}

/* The same lines, each read back before the next is written. */
size_t lines_echoed(const std::vector<std::string> &lines)
{
  std::array<int, 2> fds;
  char buf[256];
  size_t total = 0;

  if (pipe(fds.data()) < 0)
    return 0;
  for (const std::string &line : lines) {
    write(fds[1], line.data(), line.size());
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0)
      total += size_t(n);
  }
  close(fds[0]);
  close(fds[1]);
  return total;
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";
  Probe p;
  std::vector<std::string> lines(4000, std::string(40, 'x') + "\n");

  if (s == "silent-child")
    return p.silent_child() != 0;
  if (s == "child-writes")
    return p.child_writes() != 'k';
  if (s == "parent-closed")
    return p.parent_closed() != 0;
  if (s == "lines")
    return first_line(lines).empty();
  if (s == "lines-echoed")
    return lines_echoed(lines) != 4000 * 41;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// pipe-self-deadlock in C++: a standard stream that dup2() made a copy of
// the write end (issue 17), read back to end-of-file through a member
// function and a lambda (hang), the write ends in a std::array. Restoring
// standard output before the read, in the same function or in a member
// function, is silent and finishes.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s member-read hang
// RUN: %run_example %s lambda-read hang
// RUN: %run_example %s restored exit
// RUN: %run_example %s restored-member exit

#include <array>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

class Capture {
public:
  /* Everything readable on fd until end-of-file. */
  std::string read_all(int fd)
  {
    std::string out;
    char buf[512];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0)
        break;
      out.append(buf, size_t(n));
    }
    return out;
  }

  /* What 'msg' looks like on standard output. */
  std::string run(const char *msg)
  {
    int fds[2];
    if (pipe(fds) < 0)
      return "";
    saved_ = dup(STDOUT_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    std::cout << msg << std::endl;
    std::string out = read_all(fds[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: reading 'fds[0]' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'fds[1]', so the pipe stays open after 'fds[1]' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: standard output (fd 1) becomes a copy of 'fds[1]' here
    // CHECK-MESSAGES: :[[@LINE-9]]:9: note: pipe created here
    restore();
    close(fds[0]);
    return out;
  }

  /* The same, with the old output back first. */
  std::string run_restored(const char *msg)
  {
    int fds[2];
    if (pipe(fds) < 0)
      return "";
    saved_ = dup(STDOUT_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    std::cout << msg << std::endl;
    restore();
    std::string out = read_all(fds[0]);
    close(fds[0]);
    return out;
  }

private:
  void restore()
  {
    std::cout.flush();
    dup2(saved_, STDOUT_FILENO);
    close(saved_);
  }
  int saved_ = -1;
};

long lambda_read()
{
  std::array<int, 2> fds;
  auto drain_fd = [](int fd) {
    char buf[256];
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
      total += n;
    return total;
  };

  if (pipe(fds.data()) < 0)
    return -1;
  int saved = dup(2);
  dup2(fds[1], 2);
  close(fds[1]);
  std::cerr << "warning: low disk\n";
  long n = drain_fd(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:{{12|20}}: warning: reading 'fds[0]' until end-of-file never ends: standard error (fd 2) is still a copy of the write end 'fds[1]', so the pipe stays open after 'fds[1]' is closed; restore or close fd 2 before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: standard error (fd 2) becomes a copy of 'fds[1]' here
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  dup2(saved, 2);
  close(saved);
  close(fds[0]);
  return n;
}

long restored()
{
  std::array<int, 2> fds;
  char buf[256];
  long total = 0;
  ssize_t n;

  if (pipe(fds.data()) < 0)
    return -1;
  int saved = dup(STDOUT_FILENO);
  dup2(fds[1], STDOUT_FILENO);
  close(fds[1]);
  std::cout << "hello" << std::endl;
  dup2(saved, STDOUT_FILENO);
  close(saved);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";
  Capture c;

  if (s == "member-read")
    return c.run("hello") != "hello\n";
  if (s == "lambda-read")
    return lambda_read() != 18;
  if (s == "restored")
    return restored() != 6;
  if (s == "restored-member")
    return c.run_restored("hello") != "hello\n";
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

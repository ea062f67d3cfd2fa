// pipe-self-deadlock through C++ helpers (issue 17): a lambda and a member
// function that read a descriptor until a read returns 0 or less (the stop
// inside the loop body), called while this process still holds the write
// end (hang); a member function writing more than the pipe holds before
// the read-back (hang). The same calls after closing the write end, and a
// one-byte write through the member function, are silent and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s lambda-held hang
// RUN: %run_example %s member-held hang
// RUN: %run_example %s member-big-write hang
// RUN: %run_example %s lambda-closed exit
// RUN: %run_example %s member-small-write exit

#include <cstdio>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

class Channel {
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
  /* Sends 'len' bytes of 'fill'. */
  int send_fill(int fd, size_t len)
  {
    static char block[200000];
    std::memset(block, 'f', sizeof block);
    return write_all(fd, block, len);
  }
};

long lambda_held()
{
  int fds[2];
  auto slurp = [](int fd) {
    char buf[256];
    long total = 0;
    while (true) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n == 0 || n < 0)
        break;
      total += n;
    }
    return total;
  };

  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "hello\n", 6);
    _exit(0);
  }
  long n = slurp(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:{{12|17}}: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, nullptr, 0);
  return n;
}

size_t member_held()
{
  int fds[2];
  Channel ch;

  if (pipe(fds) < 0)
    return 0;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "hello\n", 6);
    _exit(0);
  }
  std::string got = ch.read_all(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, nullptr, 0);
  return got.size();
}

ssize_t member_write()
{
  int fds[2];
  Channel ch;
  char head[8];

  if (pipe(fds) < 0)
    return -1;
  ch.send_fill(fds[1], 100000);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 100000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  ssize_t n = read(fds[0], head, sizeof head);
  close(fds[0]);
  close(fds[1]);
  return n;
}

long lambda_closed()
{
  int fds[2];
  auto slurp = [](int fd) {
    char buf[256];
    long total = 0;
    while (true) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n == 0 || n < 0)
        break;
      total += n;
    }
    return total;
  };

  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    write_all(fds[1], "hello\n", 6);
    _exit(0);
  }
  close(fds[1]);
  long n = slurp(fds[0]);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

ssize_t member_small_write()
{
  int fds[2];
  Channel ch;
  char c = 0;

  if (pipe(fds) < 0)
    return -1;
  ch.send_fill(fds[1], 1);
  ssize_t n = read(fds[0], &c, 1);
  close(fds[0]);
  close(fds[1]);
  return n == 1 && c == 'f' ? 1 : -1;
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";

  if (s == "lambda-held")
    return lambda_held() != 6;
  if (s == "member-held")
    return member_held() != 6;
  if (s == "member-big-write")
    return member_write() != 8;
  if (s == "lambda-closed")
    return lambda_closed() != 6;
  if (s == "member-small-write")
    return member_small_write() != 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

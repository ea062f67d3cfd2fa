// pipe-leaked-writer: a std::jthread writer that takes a std::stop_token
// is stopped by the jthread's destructor only if it can see the request.
// One that blocks in write() on the full pipe never looks at its token
// again: the destructor's request_stop() changes nothing, its join()
// waits for a writer that waits for a reader, and the program hangs. Here
// the writers test the token between writes of 4 KiB (a lambda, a
// function, a member function through a lambda), or take it and never
// look at it while the write end is non-blocking (a busy loop on EAGAIN
// that no request ends). The writer hangs when it is a pipeful ahead of
// the reader at the moment the reader gives up; the readers here take
// 100 ms over the first byte (settle()), as a reader that does some work
// first does, which makes that certain (without it, a writer that has not
// filled the pipe yet sees the request and stops: a race, not a fix). The
// "-ok" scenarios read everything and finish.
//
// std::jthread needs C++20.
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s lambda-checks-between-writes hang -- -std=c++20
// RUN: %run_example %s lambda-checks-between-writes-ok exit -- -std=c++20
// RUN: %run_example %s function-checks-between-writes hang -- -std=c++20
// RUN: %run_example %s token-ignored-nonblocking hang -- -std=c++20
// RUN: %run_example %s token-ignored-nonblocking-ok exit -- -std=c++20

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stop_token>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

// The reader's work on the first byte.
static char settle(char c) {
  usleep(100 * 1000);
  return c;
}

// A lambda that tests the token before each write of 4 KiB, 1 MiB in all.
static long lambda_writer(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread w([fd = fds[1]](std::stop_token st) {
    char block[4096];
    std::memset(block, 'L', sizeof block);
    for (int i = 0; i < 256 && !st.stop_requested(); i++)
      if (write(fd, block, sizeof block) < 0)
        break;
    close(fd);
  });
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: std::jthread 'w' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'w' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-11]]:16: note: std::jthread 'w' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:11: note: its function takes a std::stop_token, but it can block in this write on the full pipe, where it does not see a stop request; make the write end non-blocking or wait for room with a timeout, and test the token in between
    // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

// A function given the token first, writing through a helper.
static void send_rows(std::stop_token st, int fd) {
  while (!st.stop_requested())
    if (write_filled(fd, 'r', 'r', 4096) < 0)
      break;
  close(fd);
}

static long function_writer(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread rows(send_rows, fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: std::jthread 'rows' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'rows' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:16: note: std::jthread 'rows' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-14]]:9: note: its function takes a std::stop_token, but it can block in this write on the full pipe, where it does not see a stop request; make the write end non-blocking or wait for room with a timeout, and test the token in between
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

// A non-blocking write end, and a writer that takes the token but never
// tests it: after the reader stops, it retries EAGAIN for ever.
static long ignoring_writer(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  std::jthread w([fd = fds[1]](std::stop_token) {
    char block[4096];
    std::memset(block, 'N', sizeof block);
    for (int i = 0; i < 256;) {
      if (write(fd, block, sizeof block) >= 0)
        i++;
      else if (errno != EAGAIN)
        break;
    }
    close(fd);
  });
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    // CHECK-MESSAGES: :[[@LINE+5]]:5: warning: std::jthread 'w' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'w' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-14]]:16: note: std::jthread 'w' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-15]]:32: note: its function takes a std::stop_token but never looks at it, so a stop request does not end it
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "lambda-checks-between-writes")
    return lambda_writer('X') != -1;
  if (s == "lambda-checks-between-writes-ok")
    return lambda_writer('L') != MIB;
  if (s == "function-checks-between-writes")
    return function_writer('X') != -1;
  if (s == "token-ignored-nonblocking")
    return ignoring_writer('X') != -1;
  if (s == "token-ignored-nonblocking-ok")
    return ignoring_writer('N') != MIB;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

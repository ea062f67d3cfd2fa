// Near misses of stop-token-writers.cpp: std::jthread writers that take a
// std::stop_token and do see the destructor's request, because their
// writes cannot block: the write end is non-blocking (pipe2(O_NONBLOCK),
// fcntl()) and the token is tested around every retry, or the writer waits
// for room with poll() and a timeout and tests the token in between. A
// blocking writer whose reader closes the read end before the jthread is
// destroyed fails with EPIPE. Each reader gives up after 100 ms, when the
// writer is a pipeful ahead; every scenario finishes, and nothing is
// reported.
//
// std::jthread needs C++20.
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s nonblocking-pipe2 exit -- -std=c++20
// RUN: %run_example %s nonblocking-fcntl exit -- -std=c++20
// RUN: %run_example %s poll-timeout exit -- -std=c++20
// RUN: %run_example %s read-end-closed exit -- -std=c++20

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stop_token>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static char settle(char c) {
  usleep(100 * 1000);
  return c;
}

// Retries EAGAIN, testing the token each time round.
static void send_nonblocking(std::stop_token st, int fd) {
  char block[4096];
  std::memset(block, 'n', sizeof block);
  long left = MIB;
  while (left > 0 && !st.stop_requested()) {
    ssize_t n = write(fd, block, sizeof block);
    if (n > 0)
      left -= n;
    else if (errno == EAGAIN)
      usleep(1000);
    else
      break;
  }
  close(fd);
}

static long nonblocking_pipe2(char want) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK) < 0)
    return -1;
  fcntl(fds[0], F_SETFL, 0); // the reader blocks
  std::jthread w(send_nonblocking, fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    return -1;
  close(fds[0]);
  return 1;
}

static long nonblocking_fcntl(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  std::jthread w([fd = fds[1]](std::stop_token st) {
    send_nonblocking(st, fd);
  });
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    return -1;
  close(fds[0]);
  return 1;
}

// Waits for room with a timeout, testing the token in between.
static long poll_timeout(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread w([fd = fds[1]](std::stop_token st) {
    char block[4096];
    std::memset(block, 'p', sizeof block);
    for (int i = 0; i < 256 && !st.stop_requested();) {
      struct pollfd pfd = {fd, POLLOUT, 0};
      if (poll(&pfd, 1, 10) == 1 && write(fd, block, sizeof block) > 0)
        i++;
    }
    close(fd);
  });
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want)
    return -1;
  close(fds[0]);
  return 1;
}

// A blocking writer; the reader closes the read end before the jthread is
// destroyed.
static long read_end_closed(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread w([fd = fds[1]](std::stop_token st) {
    char block[4096];
    std::memset(block, 'c', sizeof block);
    for (int i = 0; i < 256 && !st.stop_requested(); i++)
      if (write(fd, block, sizeof block) < 0)
        break;
    close(fd);
  });
  char c;
  if (read_full(fds[0], &c, 1) != 1 || settle(c) != want) {
    close(fds[0]);
    return -1;
  }
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "nonblocking-pipe2")
    return nonblocking_pipe2('X') != -1;
  if (s == "nonblocking-fcntl")
    return nonblocking_fcntl('X') != -1;
  if (s == "poll-timeout")
    return poll_timeout('X') != -1;
  if (s == "read-end-closed")
    return read_end_closed('X') != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

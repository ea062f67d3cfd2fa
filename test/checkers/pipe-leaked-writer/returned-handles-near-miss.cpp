// Writer handles returned by value from the helper that starts them, used
// safely, or given where the analysis cannot follow them: the caller closes
// the read end before the handle is destroyed; the returned jthread goes
// straight into a container declared before the guard that closes the read
// end (the guard goes first); the future is given, with the read end, to a
// function called through a pointer, which closes and waits; the helper
// returns an empty thread when the pipe cannot be written. Every writer
// writes 1 MiB, more than the pipe holds. pipe-leaked-writer must report
// nothing here; every scenario takes the early path and exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s close-first exit -- -std=c++20
// RUN: %run_example %s into-container exit -- -std=c++20
// RUN: %run_example %s through-pointer exit -- -std=c++20

#include <csignal>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../Inputs/io-helpers.h"

static std::jthread start_copier(int fd) {
  return std::jthread([fd] {
    write_filled(fd, 'J', 'c', MIB);
    close(fd);
  });
}

static std::future<long> launch_inner(int fd) {
  return std::async(std::launch::async, [fd] {
    long sent = write_filled(fd, 'F', 'f', MIB) == 0 ? MIB : -1;
    close(fd);
    return sent;
  });
}
static std::future<long> launch(int fd) { return launch_inner(fd); }

// Closes the read end before the jthread is destroyed.
static long close_first(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread copier = start_copier(fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want) {
    close(fds[0]);
    return -1;
  }
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

struct ReadCloser {
  int fd;
  ~ReadCloser() { close(fd); }
};

// The container outlives the guard: the read end is closed first.
static long into_container(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::vector<std::jthread> workers;
  ReadCloser rd{fds[0]};
  workers.push_back(start_copier(fds[1]));
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want)
    return -1;
  return 1 + drain(fds[0]);
}

static long finish(std::future<long> f, int rfd) {
  close(rfd);
  f.wait();
  return 0;
}
static long (*volatile finisher)(std::future<long>, int) = finish;

// The future goes to a function the analysis cannot see.
static long through_pointer(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::future<long> sent = launch(fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want) {
    finisher(std::move(sent), fds[0]);
    return -1;
  }
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return sent.get() == MIB ? n : -1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "close-first")
    return close_first('X') != -1;
  if (s == "into-container")
    return into_container('X') != -1;
  if (s == "through-pointer")
    return through_pointer('X') != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

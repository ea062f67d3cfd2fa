// pipe-leaked-writer with the writer's handle returned by value from the
// helper that starts it: a std::jthread from a free function, a
// std::future through a wrapper of a wrapper (three deep), a std::thread
// kept in a local variable and returned from a member function, and a
// std::future assigned through a reference out-parameter. The
// caller holds the handle and the read end; when it gives up after the
// first byte, the handle is destroyed while the writer (1 MiB, more than
// the 64 KiB a pipe holds) is blocked on the full pipe: the jthread's and
// the future's destructors wait for it (a hang), the std::thread's calls
// std::terminate.
//
// std::jthread needs C++20.
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s jthread-returned hang -- -std=c++20
// RUN: %run_example %s future-three-deep hang -- -std=c++20
// RUN: %run_example %s future-out-param hang -- -std=c++20
// RUN: %run_example %s thread-from-method abort -- -std=c++20
// RUN: %run_example %s jthread-returned-ok exit -- -std=c++20

#include <csignal>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

// Depth 1: a free function returns the running jthread.
static std::jthread start_copier(int fd, char first) {
  return std::jthread([fd, first] {
    write_filled(fd, first, 'c', MIB);
    close(fd);
  });
}

static long copied(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread copier = start_copier(fds[1], 'J');
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::jthread 'copier' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before std::jthread 'copier' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:25: note: std::jthread 'copier' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return n;
}

// Depth 3: the future of std::async, returned through two wrappers.
static std::future<long> launch_inner(int fd) {
  return std::async(std::launch::async, [fd] {
    long sent = write_filled(fd, 'F', 'f', MIB) == 0 ? MIB : -1;
    close(fd);
    return sent;
  });
}
static std::future<long> launch_mid(int fd) { return launch_inner(fd); }
static std::future<long> launch(int fd) { return launch_mid(fd); }

static long fetched(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::future<long> sent = launch(fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: the future 'sent' of std::async waits for its task when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before the future 'sent' of std::async is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:28: note: the future 'sent' of std::async starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  }
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return sent.get() == MIB ? n : -1;
}

// Through an out-parameter: the helper assigns the future to the caller's.
static void launch_into(std::future<long> &out, int fd) {
  out = std::async(std::launch::async, [fd] {
    long sent = write_filled(fd, 'O', 'o', MIB) == 0 ? MIB : -1;
    close(fd);
    return sent;
  });
}

static long fetched_into(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::future<long> sent;
  launch_into(sent, fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: the future 'sent' of std::async waits for its task when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'fds[0]' is still open and unread: this hangs; close 'fds[0]' before the future 'sent' of std::async is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: the future 'sent' of std::async starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  return sent.get() == MIB ? n : -1;
}

// A member function of a struct returns the std::thread it keeps in a
// local variable.
struct Spawner {
  char fill;
  std::thread start(int fd) {
    char f = fill;
    std::thread t([fd, f] {
      write_filled(fd, f, f, MIB);
      close(fd);
    });
    return t;
  }
};

static long spawned(char want) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Spawner sp{'T'};
  std::thread writer = sp.start(fds[1]);
  char c;
  if (read_full(fds[0], &c, 1) != 1 || c != want)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'writer' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:24: note: std::thread 'writer' starts here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  long n = 1 + drain(fds[0]);
  close(fds[0]);
  writer.join();
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "jthread-returned")
    return copied('X') != -1;
  if (s == "jthread-returned-ok")
    return copied('J') != MIB;
  if (s == "future-three-deep")
    return fetched('X') != -1;
  if (s == "future-out-param")
    return fetched_into('X') != -1;
  if (s == "thread-from-method")
    return spawned('X') != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

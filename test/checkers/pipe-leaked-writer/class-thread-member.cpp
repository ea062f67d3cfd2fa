// pipe-leaked-writer with the writer thread kept in a data member of a
// class: `start()` creates it into `t_` and `stop()` joins it (the
// methods' summaries say so), and the user's function holds the object.
// Leaving early without stop() destroys the object, and with it a joinable
// std::thread: std::terminate. Calling stop() before closing the read end
// hangs in the join, the writer blocked on the full pipe (1 MiB, more than
// the 64 KiB a pipe holds). A class whose destructor joins is not judged
// at the object's destruction: it may stop the writer itself (here, after
// the read end is closed, it finishes).
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++17
// RUN: %run_example %s destroyed-joinable abort
// RUN: %run_example %s destroyed-joinable-ok exit
// RUN: %run_example %s stop-before-close hang
// RUN: %run_example %s close-then-stop exit
// RUN: %run_example %s destructor-joins exit

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static void produce(int fd, size_t bytes) {
  write_filled(fd, 'H', 'p', bytes);
  close(fd);
}

// A writer thread the object starts and stops; its destructor does not
// join.
class Pump {
  std::thread t_;

public:
  void start(int fd) { t_ = std::thread(produce, fd, size_t(MIB)); }
  void stop() { t_.join(); }
};

// The same, with a destructor that stops the thread.
class SafePump {
  std::thread t_;

public:
  void start(int fd) { t_ = std::thread(produce, fd, size_t(MIB)); }
  void stop() {
    if (t_.joinable())
      t_.join();
  }
  ~SafePump() { stop(); }
};

long pumped(char header) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Pump p;
  p.start(fds[1]);
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'p.t_' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: std::thread 'p.t_' starts here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  long n = drain(fds[0]);
  close(fds[0]);
  p.stop();
  return n;
}

long pumped_header(char header, bool close_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Pump p;
  p.start(fds[1]);
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    if (close_first)
      close(fds[0]);
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'p.t_' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: std::thread 'p.t_' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: taking the false branch
    p.stop();
    if (!close_first)
      close(fds[0]);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  p.stop();
  return n;
}

long safely_pumped(char header) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  SafePump p;
  p.start(fds[1]);
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  p.stop();
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "destroyed-joinable")
    return pumped('X') != -1;
  if (s == "destroyed-joinable-ok")
    return pumped('H') != MIB - 1;
  if (s == "stop-before-close")
    return pumped_header('X', false) != -1;
  if (s == "close-then-stop")
    return pumped_header('X', true) != -1;
  if (s == "destructor-joins")
    return safely_pumped('X') != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

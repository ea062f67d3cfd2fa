// pipe-leaked-writer with the writer thread and the pipe kept in data
// members of an object for its whole life: the constructor makes the pipe
// and starts the thread, the methods read, and the destructor is the only
// code that ends the thread. Each writer writes 1 MiB, more than the 64 KiB
// a pipe holds, and each reader stops after a few bytes, so the writer is
// still blocked on the full pipe when the object is destroyed:
//
//  - a struct whose destructor joins its std::jthread before closing the
//    read end: the join waits for the blocked writer (a hang);
//  - a class whose destructor closes the read end but never joins its
//    std::thread, started on a member function: the member is destroyed
//    joinable after the destructor's body, std::terminate;
//  - a class whose destructor waits for the std::async future it keeps
//    before closing the read end (a hang).
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s struct-jthread-join-first hang -- -std=c++20
// RUN: %run_example %s thread-never-joined abort -- -std=c++20
// RUN: %run_example %s future-wait-first hang -- -std=c++20

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct Feed {
  Feed() {
    if (pipe(fds_) != 0)
      std::abort();
    worker_ = std::jthread([this] {
      write_filled(fds_[1], 'F', 'f', MIB);
      close(fds_[1]);
    });
  }
  ~Feed() {
    if (worker_.joinable())
      // CHECK-MESSAGES: :[[@LINE+4]]:7: warning: std::jthread 'worker_' is joined here while the read end 'fds_[0]' is still open and unread: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds_[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
      // CHECK-MESSAGES: :[[@LINE-8]]:15: note: std::jthread 'worker_' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
      // CHECK-MESSAGES: :[[@LINE-11]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
      worker_.join();
    close(fds_[0]);
  }
  int first() {
    char c = 0;
    return read_full(fds_[0], &c, 1) == 1 ? c : -1;
  }

private:
  int fds_[2];
  std::jthread worker_;
};

class Sampler {
public:
  explicit Sampler(char fill) : fill_(fill) {
    if (pipe(p_) < 0)
      std::perror("pipe");
    t_ = std::thread(&Sampler::run, this);
  }
  ~Sampler() { close(p_[0]); }
  // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: std::thread 't_' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: std::thread 't_' starts here
  // CHECK-MESSAGES: :[[@LINE-7]]:9: note: pipe created here
  std::string header() {
    char h[4];
    return read_full(p_[0], h, sizeof h) == 4 ? std::string(h, 4) : "";
  }

private:
  void run() {
    write_filled(p_[1], fill_, fill_, MIB);
    close(p_[1]);
  }
  char fill_;
  int p_[2];
  std::thread t_;
};

class Export {
public:
  Export() {
    if (pipe(fds_) != 0)
      throw std::runtime_error("pipe");
    done_ = std::async(std::launch::async, [this] {
      write_filled(fds_[1], 'E', 'e', MIB);
      close(fds_[1]);
    });
  }
  ~Export() {
    // CHECK-MESSAGES: :[[@LINE+3]]:5: warning: the future 'done_' of std::async is waited for here while the read end 'fds_[0]' is still open and unread: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds_[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:13: note: the future 'done_' of std::async starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-10]]:9: note: pipe created here
    done_.wait();
    close(fds_[0]);
  }
  bool starts_with(char c) {
    char got;
    return read_full(fds_[0], &got, 1) == 1 && got == c;
  }

private:
  int fds_[2];
  std::future<void> done_;
};

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "struct-jthread-join-first") {
    Feed f;
    return f.first() == 'F' ? 0 : 1;
  }
  if (s == "thread-never-joined") {
    Sampler sm('S');
    return sm.header() == "SSSS" ? 0 : 1;
  }
  if (s == "future-wait-first") {
    Export e;
    return e.starts_with('E') ? 0 : 1;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

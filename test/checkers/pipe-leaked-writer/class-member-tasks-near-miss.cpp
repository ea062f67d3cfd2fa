// Objects that keep a writer thread and its pipe in data members and end
// them safely, or in a way the analysis leaves to their users: the
// destructor closes the read end before the (implicit) join of a
// std::jthread member; a stop() method closes and joins, and the user calls
// it (whether every user does is not followed); the only reading method
// reads the pipe to end-of-file, so the writer has finished; the writer
// writes less than the pipe holds. pipe-leaked-writer must report nothing;
// every scenario exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s close-then-implicit-join exit -- -std=c++20
// RUN: %run_example %s stop-method exit -- -std=c++20
// RUN: %run_example %s reads-to-eof exit -- -std=c++20
// RUN: %run_example %s small-writer exit -- -std=c++20

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

// The jthread member joins after the destructor's body closed the read end.
struct Feed {
  Feed() {
    if (pipe(fds_) != 0)
      std::abort();
    worker_ = std::jthread([this] {
      write_filled(fds_[1], 'F', 'f', MIB);
      close(fds_[1]);
    });
  }
  ~Feed() { close(fds_[0]); }
  int first() {
    char c = 0;
    return read_full(fds_[0], &c, 1) == 1 ? c : -1;
  }

private:
  int fds_[2];
  std::jthread worker_;
};

// stop() closes the read end, then joins; the destructor joins only what
// stop() left running.
class Pump {
public:
  Pump() {
    if (pipe(p_) < 0)
      std::abort();
    t_ = std::thread(&Pump::run, this);
  }
  void stop() {
    if (p_[0] >= 0)
      close(p_[0]);
    p_[0] = -1;
    if (t_.joinable())
      t_.join();
  }
  ~Pump() {
    if (t_.joinable())
      t_.join();
  }
  int first() {
    char c = 0;
    return read_full(p_[0], &c, 1) == 1 ? c : -1;
  }

private:
  void run() {
    write_filled(p_[1], 'P', 'p', MIB);
    close(p_[1]);
  }
  int p_[2];
  std::thread t_;
};

// The only reader reads to end-of-file: the writer is done before the
// destructor joins.
class Slurp {
public:
  Slurp() {
    if (pipe(p_) < 0)
      std::abort();
    t_ = std::thread(&Slurp::run, this);
  }
  ~Slurp() {
    t_.join();
    close(p_[0]);
  }
  long all() {
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(p_[0], buf, sizeof buf)) > 0)
      total += n;
    return total;
  }

private:
  void run() {
    write_filled(p_[1], 'S', 's', MIB);
    close(p_[1]);
  }
  int p_[2];
  std::thread t_;
};

// A writer of 100 bytes: it never blocks on the pipe.
class Note {
public:
  Note() {
    if (pipe(p_) < 0)
      std::abort();
    t_ = std::thread([this] {
      char msg[100];
      memset(msg, 'n', sizeof msg);
      write_all(p_[1], msg, sizeof msg);
      close(p_[1]);
    });
  }
  ~Note() {
    t_.join();
    close(p_[0]);
  }
  int first() {
    char c = 0;
    return read_full(p_[0], &c, 1) == 1 ? c : -1;
  }

private:
  int p_[2];
  std::thread t_;
};

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "close-then-implicit-join") {
    Feed f;
    return f.first() == 'F' ? 0 : 1;
  }
  if (s == "stop-method") {
    Pump p;
    int c = p.first();
    p.stop();
    return c == 'P' ? 0 : 1;
  }
  if (s == "reads-to-eof") {
    Slurp sl;
    return sl.all() == MIB ? 0 : 1;
  }
  if (s == "small-writer") {
    Note n;
    return n.first() == 'n' ? 0 : 1;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

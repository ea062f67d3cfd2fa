// pipe-self-deadlock with the pipe in a local object's members: Pipe's
// constructor makes it (throwing if pipe() fails), its destructor closes
// both ends, and getters give the ends (`int rd() const { return
// fds_[0]; }`). Reading rd() until end-of-file while the object still
// holds the write end never ends (hang); closing it first through a method
// finishes. Compressor (near-miss) starts a thread with a lambda that
// captures `this` and writes and closes the write end member itself: the
// caller's read to end-of-file ends when the thread closes it.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s held hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s lambda-this exit

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

class Pipe {
public:
  Pipe() {
    if (::pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  Pipe(const Pipe &) = delete;
  Pipe &operator=(const Pipe &) = delete;
  ~Pipe() {
    if (fds_[0] >= 0)
      ::close(fds_[0]);
    if (fds_[1] >= 0)
      ::close(fds_[1]);
  }
  int rd() const { return fds_[0]; }
  int wr() const { return fds_[1]; }
  void close_write() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }

private:
  int fds_[2];
};

static long read_all(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static long echo_held() {
  Pipe p;
  if (::write(p.wr(), "hello\n", 6) != 6)
    return -1;
  return read_all(p.rd());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'p.fds_[0]' until end-of-file never ends: this process still holds the write end 'p.fds_[1]'; call 'p.close_write()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
}

static long echo_closed_first() {
  Pipe p;
  if (::write(p.wr(), "hello\n", 6) != 6)
    return -1;
  p.close_write();
  return read_all(p.rd());
}

class Compressor {
public:
  Compressor() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::runtime_error("pipe");
    rd_ = fds[0];
    wr_ = fds[1];
  }
  Compressor(const Compressor &) = delete;
  Compressor &operator=(const Compressor &) = delete;
  ~Compressor() {
    if (worker_.joinable())
      worker_.join();
    ::close(rd_);
  }
  void start(std::string in) {
    worker_ = std::thread([this, in = std::move(in)] { encode(in); });
  }
  long drain() { return read_all(rd_); }
  void finish() { worker_.join(); }

private:
  void encode(const std::string &in) {
    for (char c : in) {
      char rec[2] = {1, c};
      if (::write(wr_, rec, sizeof rec) != 2)
        break;
    }
    ::close(wr_);
  }
  int rd_ = -1, wr_ = -1;
  std::thread worker_;
};

static long compress(const std::string &in) {
  Compressor c;
  c.start(in);
  long n = c.drain();
  c.finish();
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "held")
    return echo_held() == 6 ? 0 : 1;
  if (s == "closed-first")
    return echo_closed_first() == 6 ? 0 : 1;
  if (s == "lambda-this")
    return compress(std::string(100000, 'a')) == 200000 ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

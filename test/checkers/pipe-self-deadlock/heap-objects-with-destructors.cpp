// An object made on the heap (`new Spool`, `std::make_unique<Spool>()`,
// `std::unique_ptr<Spool> p(new Spool)`, or returned by a factory) whose
// constructor makes a pipe into its members is followed as a local object
// is: its constructor's summary is applied on its place, its methods'
// summaries to it, and its own destructor runs where `delete` or the
// std::unique_ptr that owns it destroys it. A method that reads the read
// end to end-of-file before the one that closes the write end (`seal()`)
// then never returns: this thread still holds the write end. The near
// misses seal first, return early (the unique_ptr's destruction closes
// both ends), or share the object through a std::shared_ptr.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s unique hang
// RUN: %run_example %s unique-from-new hang
// RUN: %run_example %s raw hang
// RUN: %run_example %s factory hang
// RUN: %run_example %s sealed exit
// RUN: %run_example %s early exit
// RUN: %run_example %s shared exit

#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

class Spool {
public:
  Spool() {
    if (pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  ~Spool() {
    if (fds_[0] >= 0)
      close(fds_[0]);
    if (fds_[1] >= 0)
      close(fds_[1]);
  }
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;

  void append(const std::string &text) {
    const char *p = text.data();
    size_t left = text.size();
    while (left > 0) {
      ssize_t n = write(fds_[1], p, left);
      if (n < 0)
        throw std::runtime_error("write");
      p += n;
      left -= size_t(n);
    }
  }
  void seal() {
    close(fds_[1]);
    fds_[1] = -1;
  }
  std::string drain() {
    std::string out;
    char buf[512];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
      out.append(buf, size_t(n));
    return out;
  }

private:
  int fds_[2] = {-1, -1};
};

std::string unique_unsealed() {
  auto spool = std::make_unique<Spool>();
  spool->append("header\n");
  return spool->drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'spool->fds_[0]' until end-of-file never ends: this process still holds the write end 'spool->fds_[1]'; call 'spool->seal()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:16: note: pipe created here
}

std::string unique_from_new_unsealed() {
  std::unique_ptr<Spool> spool(new Spool());
  spool->append("header\n");
  std::string text = spool->drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: reading 'spool->fds_[0]' until end-of-file never ends: this process still holds the write end 'spool->fds_[1]'; call 'spool->seal()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:32: note: pipe created here
  spool->seal();
  return text;
}

std::string raw_unsealed() {
  Spool *spool = new Spool();
  spool->append("header\n");
  std::string text = spool->drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: reading 'spool->fds_[0]' until end-of-file never ends: this process still holds the write end 'spool->fds_[1]'; call 'spool->seal()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: pipe created here
  delete spool;
  return text;
}

std::unique_ptr<Spool> open_spool() { return std::make_unique<Spool>(); }

std::string factory_unsealed() {
  std::unique_ptr<Spool> spool = open_spool();
  spool->append("header\n");
  return spool->drain();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'spool->fds_[0]' until end-of-file never ends: this process still holds the write end 'spool->fds_[1]'; call 'spool->seal()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:34: note: pipe created here
}

// Near-miss: sealed before the read.
std::string sealed() {
  auto spool = std::make_unique<Spool>();
  spool->append("header\n");
  spool->seal();
  std::string text = spool->drain();
  Spool *raw = new Spool();
  raw->append("body\n");
  raw->seal();
  text += raw->drain();
  delete raw;
  return text;
}

// Near-miss: the early return destroys the object, which closes both ends.
std::string early(bool skip) {
  auto spool = std::make_unique<Spool>();
  if (skip)
    return "";
  spool->append("header\n");
  spool->seal();
  return spool->drain();
}

// Near-miss: a shared object.
std::string shared() {
  std::shared_ptr<Spool> spool(new Spool());
  spool->append("header\n");
  spool->seal();
  return spool->drain();
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "unique")
    return unique_unsealed().size() == 7 ? 0 : 1;
  if (s == "unique-from-new")
    return unique_from_new_unsealed().size() == 7 ? 0 : 1;
  if (s == "raw")
    return raw_unsealed().size() == 7 ? 0 : 1;
  if (s == "factory")
    return factory_unsealed().size() == 7 ? 0 : 1;
  if (s == "sealed")
    return sealed() == "header\nbody\n" ? 0 : 1;
  if (s == "early")
    return early(true).empty() && early(false) == "header\n" ? 0 : 1;
  if (s == "shared")
    return shared() == "header\n" ? 0 : 1;
  return 2;
}

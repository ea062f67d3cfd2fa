// `pipe(&fds[0])` (of a built-in array or a std::array) fills fds[0] and
// fds[1], as `pipe(fds)` and `pipe(fds.data())` do. Before, the ends were
// put below fds[0] ('fds[0][1]'): closes of fds[1] were missed, so the
// function was said to leak an end it closed, and a read to end-of-file
// while fds[1] is open went unreported.
//
// A class that keeps the pipe in a `std::array<int, 2>` member, made by
// its constructor and closed only by its destructor, holds the write end
// while a method reads the read end to end-of-file; a getter returning
// `fds_[1]` lends it, as for a built-in array.
//
// The near misses: the same reads after the write end is closed.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s array-open hang
// RUN: %run_example %s array-closed exit
// RUN: %run_example %s std-array-open hang
// RUN: %run_example %s std-array-closed exit
// RUN: %run_example %s member hang
// RUN: %run_example %s member-sealed exit

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

size_t drainArray(bool closeFirst) {
  int fds[2];
  if (pipe(&fds[0]) != 0)
    return 0;
  (void)!write(fds[1], "x", 1);
  if (closeFirst)
    close(fds[1]);
  char buf[64];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    total += size_t(n);
  close(fds[0]);
  if (!closeFirst)
    close(fds[1]);
  return total;
}

size_t drainStdArray(bool closeFirst) {
  std::array<int, 2> fds;
  if (pipe(&fds[0]) != 0)
    return 0;
  (void)!write(fds[1], "x", 1);
  if (closeFirst)
    close(fds[1]);
  char buf[64];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    total += size_t(n);
  close(fds[0]);
  if (!closeFirst)
    close(fds[1]);
  return total;
}

class Spool {
public:
  Spool() {
    if (pipe(fds_.data()) != 0)
      throw std::runtime_error("pipe");
  }
  ~Spool() {
    for (int fd : fds_)
      if (fd >= 0)
        close(fd);
  }
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  int sink() const { return fds_[1]; }
  void put(const char *s) { (void)!write(fds_[1], s, strlen(s)); }
  std::string readAll() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'fds_[0]' until end-of-file never ends: the object still holds the write end 'fds_[1]' in a member that only its destructor closes; close 'fds_[1]' before reading to the end [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE-18]]:9: note: pipe created here
      out.append(buf, size_t(n));
    return out;
  }

private:
  std::array<int, 2> fds_{-1, -1};
};

// The same with a method that closes the write end: nothing to report.
class SealedSpool {
public:
  SealedSpool() {
    if (pipe(fds_.data()) != 0)
      throw std::runtime_error("pipe");
  }
  ~SealedSpool() {
    for (int fd : fds_)
      if (fd >= 0)
        close(fd);
  }
  SealedSpool(const SealedSpool &) = delete;
  SealedSpool &operator=(const SealedSpool &) = delete;
  void put(const char *s) { (void)!write(fds_[1], s, strlen(s)); }
  void seal() {
    close(fds_[1]);
    fds_[1] = -1;
  }
  std::string readAll() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
      out.append(buf, size_t(n));
    return out;
  }

private:
  std::array<int, 2> fds_{-1, -1};
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "array-open"))
    return drainArray(false) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "array-closed"))
    return drainArray(true) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "std-array-open"))
    return drainStdArray(false) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "std-array-closed"))
    return drainStdArray(true) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "member")) {
    Spool s;
    (void)!write(s.sink(), "y", 1);
    s.put("z");
    return s.readAll() == "yz" ? 0 : 1;
  }
  if (!strcmp(argv[1], "member-sealed")) {
    SealedSpool s;
    s.put("z");
    s.seal();
    return s.readAll() == "z" ? 0 : 1;
  }
  return 2;
}

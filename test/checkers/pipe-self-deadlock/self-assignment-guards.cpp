// pipe-self-deadlock through move assignments that test for self-assignment
// first (`if (this != &o)`, `if (&o == this) return *this;`), as most
// hand-written ones do. The engine takes the objects a function's
// parameters reach (and `*this`) to be distinct, so such a test takes the
// "different objects" way: the assignment's summary says that it closes
// what the object held and takes over the other's descriptor, and the
// descriptor is followed into the object that now owns it. The fix then
// names the owner's closing method (`w.reset()`, `p.wr.reset()`), not the
// number, which the owner's destructor would close a second time. A class
// keeping the ends in such members (UniqueFd rd_, wr_) closes them when
// its members are destroyed: its read-back method waits for itself, and
// the class does not leak them.
//
// Each finding reads a pipe to end-of-file while an object of this thread
// still holds the write end; each hangs. The near misses reset the write
// end first, or call the class's method that does (`seal()`); each
// finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -- -std=c++17 -I%S
// RUN: %run_example %s move-assigned hang
// RUN: %run_example %s guard-returns hang
// RUN: %run_example %s pair-from-factory hang
// RUN: %run_example %s member-objects hang
// RUN: %run_example %s move-assigned-reset exit
// RUN: %run_example %s member-objects-sealed exit

#include <cstring>
#include <string>
#include <unistd.h>
#include <utility>

#include "../Inputs/unique-fd.h"

// The same owner, with the test the other way round and an early return.
class ScopedFd {
public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(ScopedFd &&o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  ScopedFd &operator=(ScopedFd &&o) noexcept {
    if (&o == this)
      return *this;
    close();
    fd_ = o.fd_;
    o.fd_ = -1;
    return *this;
  }
  ~ScopedFd() { close(); }
  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

static std::string read_to_end(int fd) {
  std::string s;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    s.append(buf, static_cast<size_t>(n));
  return s;
}

std::string move_assigned() {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  UniqueFd r, w;
  r = UniqueFd(fds[0]);
  w = UniqueFd(fds[1]);
  ::write(w.get(), "header\n", 7);
  std::string s;
  char buf[256];
  ssize_t n;
  while ((n = ::read(r.get(), buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; call 'w.reset()', which closes it, before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-9]]:15: note: 'w' holds the write end in a member and closes it only when it is destroyed
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    s.append(buf, static_cast<size_t>(n));
  return s;
}

std::string guard_returns() {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  ScopedFd in(fds[0]);
  ScopedFd out;
  out = ScopedFd(fds[1]);
  ::write(out.fd(), "x", 1);
  return read_to_end(in.fd());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; call 'out.close()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: 'out' holds the write end in a member and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

struct PipeFds {
  UniqueFd rd;
  UniqueFd wr;
};

static PipeFds make_pipe() {
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::string("pipe");
  PipeFds p;
  p.rd = UniqueFd(fds[0]);
  p.wr = UniqueFd(fds[1]);
  return p;
}

std::string pair_from_factory() {
  PipeFds p = make_pipe();
  ::write(p.wr.get(), "x", 1);
  // Ending the scope of 'p' would close the read end too: the fix is the
  // member's own reset().
  return read_to_end(p.rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'p.rd' until end-of-file never ends: this process still holds the write end 'p.wr'; call 'p.wr.reset()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: pipe created here
}

// The ends move into member objects in the constructor's body; the
// implicit destructor destroys the members, which close them.
class Transcript {
public:
  Transcript() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::string("pipe");
    rd_ = UniqueFd(fds[0]);
    wr_ = UniqueFd(fds[1]);
  }
  void line(const char *text) {
    ::write(wr_.get(), text, std::strlen(text));
    ::write(wr_.get(), "\n", 1);
  }
  std::string read_back() { return read_to_end(rd_.get()); }
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: reading 'rd_' until end-of-file never ends: the object still holds the write end 'wr_' in a member that only its destructor closes; call 'wr_.reset()', which closes it, before reading to the end [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-11]]:9: note: pipe created here

private:
  UniqueFd rd_, wr_;
};

std::string member_objects() {
  Transcript t;
  t.line("health report: 3 checks");
  t.line("queue FAIL");
  return t.read_back();
}

// The same with a method that closes the write end, called first.
class SealedTranscript {
public:
  SealedTranscript() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::string("pipe");
    rd_ = UniqueFd(fds[0]);
    wr_ = UniqueFd(fds[1]);
  }
  void line(const char *text) { ::write(wr_.get(), text, std::strlen(text)); }
  void seal() { wr_.reset(); }
  std::string read_back() { return read_to_end(rd_.get()); }

private:
  UniqueFd rd_, wr_;
};

std::string member_objects_sealed() {
  SealedTranscript t;
  t.line("health report: 3 checks");
  t.seal();
  return t.read_back();
}

std::string move_assigned_reset() {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  UniqueFd r, w;
  r = UniqueFd(fds[0]);
  w = UniqueFd(fds[1]);
  ::write(w.get(), "header\n", 7);
  w.reset();
  return read_to_end(r.get());
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  std::string got;
  if (s == "move-assigned")
    got = move_assigned();
  else if (s == "guard-returns")
    got = guard_returns();
  else if (s == "pair-from-factory")
    got = pair_from_factory();
  else if (s == "member-objects")
    got = member_objects();
  else if (s == "member-objects-sealed")
    got = member_objects_sealed();
  else if (s == "move-assigned-reset")
    got = move_assigned_reset();
  else
    return 2;
  return got.empty() ? 1 : 0;
}

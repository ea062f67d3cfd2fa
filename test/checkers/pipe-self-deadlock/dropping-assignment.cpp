// pipe-self-deadlock when an assignment or a setter drops the write end it
// replaces: a descriptor wrapper whose move assignment takes the other
// object's descriptor without closing its own (from a temporary or from
// std::move of a variable, directly or in a helper two calls down), and one
// whose reset(int) stores the new descriptor over the old. The caller means
// to give up its write end by replacing it in the wrapper, then reads the
// pipe to end-of-file after a child wrote to it: the old write end is
// still open, so the read never ends. Each hangs; the note is at the call
// that dropped it, and pipe-unclosed-write-end (run alongside) adds no
// second warning.
//
// Near misses: a move assignment that closes what it replaces, one that
// swaps (the temporary's destructor closes the old descriptor), and a
// reset(int) that closes first. Each finishes. And a method that makes a
// pipe and assigns the write end to a wrapper member (`out_ =
// ClosingFd(p[1])`): the member keeps it, nothing leaks there (a member of
// `*this` the method's own analysis does not follow: what moves into it
// is given away, not lost).
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s from-temporary hang
// RUN: %run_example %s from-variable hang
// RUN: %run_example %s in-helper hang
// RUN: %run_example %s member-reopen hang
// RUN: %run_example %s reset-over hang
// RUN: %run_example %s closing-assign exit
// RUN: %run_example %s swapping-assign exit
// RUN: %run_example %s closing-reset exit
// RUN: %run_example %s member-keeps exit

#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

// Its move assignment forgets to close what it held.
class LeakyFd {
public:
  LeakyFd() = default;
  explicit LeakyFd(int fd) : fd_(fd) {}
  LeakyFd(LeakyFd &&o) noexcept : fd_(o.release()) {}
  LeakyFd &operator=(LeakyFd &&o) noexcept {
    fd_ = o.release();
    return *this;
  }
  ~LeakyFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd) { fd_ = fd; }

private:
  int fd_ = -1;
};

// The same wrapper done right: close first, or swap.
class ClosingFd {
public:
  ClosingFd() = default;
  explicit ClosingFd(int fd) : fd_(fd) {}
  ClosingFd(ClosingFd &&o) noexcept : fd_(o.release()) {}
  ClosingFd &operator=(ClosingFd &&o) noexcept {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = o.release();
    return *this;
  }
  ~ClosingFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

class SwapFd {
public:
  SwapFd() = default;
  explicit SwapFd(int fd) : fd_(fd) {}
  SwapFd &operator=(SwapFd &&o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~SwapFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }

private:
  int fd_ = -1;
};

// A child that writes a line to fd and exits.
static pid_t start_writer(int rd, int fd) {
  pid_t pid = fork();
  if (pid == 0) {
    ::close(rd);
    (void)!::write(fd, "line\n", 5);
    _exit(0);
  }
  return pid;
}

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

long from_temporary() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  LeakyFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  out = LeakyFd(q[1]); // meant to close p[1]: the next output goes to q
  ::close(q[0]);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'LeakyFd::operator=' overwrites the write end 'p[1]' here without closing it; close what it replaces in 'LeakyFd::operator='
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

long from_variable() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  LeakyFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  LeakyFd next(q[1]);
  out = std::move(next);
  ::close(q[0]);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'LeakyFd::operator=' overwrites the write end 'p[1]' here without closing it; close what it replaces in 'LeakyFd::operator='
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

// Two calls down: the caller's wrapper is replaced through a reference.
static void replace_with(LeakyFd &slot, int fd) { slot = LeakyFd(fd); }
static void redirect(LeakyFd &slot, int fd) { replace_with(slot, fd); }

long in_helper() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  LeakyFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  redirect(out, q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'redirect' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

// A class whose method replaces the wrapper member it writes to.
class Sink {
public:
  void attach(int fd) { out_ = LeakyFd(fd); }

private:
  LeakyFd out_;
};

long member_reopen() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  Sink sink;
  sink.attach(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  sink.attach(q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'Sink::attach' overwrites the write end 'p[1]' here without closing it; close what it replaces in 'Sink::attach'
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

long reset_over() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  LeakyFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  out.reset(q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'LeakyFd::reset' overwrites the write end 'p[1]' here without closing it; close what it replaces in 'LeakyFd::reset'
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

// Near misses.

long closing_assign() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  ClosingFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  out = ClosingFd(q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

long swapping_assign() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  SwapFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  out = SwapFd(q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

long closing_reset() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  ClosingFd out(p[1]);
  pid_t pid = start_writer(p[0], p[1]);
  out.reset(q[1]);
  ::close(q[0]);
  long n = drain(p[0]);
  ::close(p[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

class Channel {
public:
  int open() {
    int p[2];
    if (::pipe(p) < 0)
      return -1;
    out_ = ClosingFd(p[1]);
    return p[0];
  }
  void close_output() { out_ = ClosingFd(); }

private:
  ClosingFd out_;
};

long member_keeps() {
  Channel ch;
  int rd = ch.open();
  if (rd < 0)
    return -1;
  ch.close_output();
  long n = drain(rd);
  ::close(rd);
  return n + 5;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  long n = -1;
  if (s == "from-temporary")
    n = from_temporary();
  else if (s == "from-variable")
    n = from_variable();
  else if (s == "in-helper")
    n = in_helper();
  else if (s == "member-reopen")
    n = member_reopen();
  else if (s == "reset-over")
    n = reset_over();
  else if (s == "closing-assign")
    n = closing_assign();
  else if (s == "swapping-assign")
    n = swapping_assign();
  else if (s == "closing-reset")
    n = closing_reset();
  else if (s == "member-keeps")
    n = member_keeps();
  else
    return 2;
  return n == 5 ? 0 : 1;
}

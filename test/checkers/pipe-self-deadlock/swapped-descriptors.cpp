// pipe-self-deadlock through std::swap() of two descriptors: a wrapper's
// move assignment that closes what it holds and swaps the other's
// descriptor in (`close(fd_); fd_ = -1; std::swap(fd_, rhs.fd_);`, or
// through its own close() method, as fish's autoclose_fd_t does), and a
// swap of two local descriptors. The
// engine exchanges what the two places hold, so the write end is followed
// into the object (or variable) that now holds it. Before, the swap was a
// call like any other and both descriptors were handed off.
//
// Each finding reads the pipe to end-of-file while this thread still holds
// the write end; each hangs. The near misses close it first and finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s assigned hang
// RUN: %run_example %s locals hang
// RUN: %run_example %s method-closes hang
// RUN: %run_example %s assigned-closed exit
// RUN: %run_example %s locals-closed exit

#include <string>
#include <unistd.h>
#include <utility>

class AutoFd {
public:
  AutoFd() = default;
  explicit AutoFd(int fd) : fd_(fd) {}
  AutoFd(AutoFd &&o) noexcept { std::swap(fd_, o.fd_); }
  void operator=(AutoFd &&rhs) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
    std::swap(fd_, rhs.fd_);
  }
  AutoFd(const AutoFd &) = delete;
  ~AutoFd() { close(); }
  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

// The same, closing through its own method first.
class ClosingFd {
public:
  ClosingFd() = default;
  explicit ClosingFd(int fd) : fd_(fd) {}
  void operator=(ClosingFd &&rhs) {
    close();
    std::swap(this->fd_, rhs.fd_);
  }
  ClosingFd(const ClosingFd &) = delete;
  ~ClosingFd() { close(); }
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

static std::string assigned(bool close_first) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  AutoFd r, w;
  r = AutoFd(fds[0]);
  w = AutoFd(fds[1]);
  ::write(w.fd(), "x", 1);
  if (close_first)
    w.close();
  return read_to_end(r.fd());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; call 'w.close()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:13: note: 'w' holds the write end in a member and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
}

static std::string method_closes() {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  ClosingFd r, w;
  r = ClosingFd(fds[0]);
  w = ClosingFd(fds[1]);
  ::write(w.fd(), "x", 1);
  return read_to_end(r.fd());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; call 'w.close()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:16: note: 'w' holds the write end in a member and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

static std::string locals(bool close_first) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "";
  int out = -1, spare = fds[1];
  std::swap(out, spare);
  ::write(out, "x", 1);
  if (close_first)
    ::close(out);
  std::string s = read_to_end(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'out'; close 'out' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  ::close(fds[0]);
  return s;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  std::string got;
  if (s == "assigned")
    got = assigned(false);
  else if (s == "assigned-closed")
    got = assigned(true);
  else if (s == "method-closes")
    got = method_closes();
  else if (s == "locals")
    got = locals(false);
  else if (s == "locals-closed")
    got = locals(true);
  else
    return 2;
  return got == "x" ? 0 : 1;
}

// A class keeps both ends of a pipe in private members, closes them in its
// destructor, and lends its write end to the code it logs for through a
// getter (`int sink() const { return wfd_; }`): the caller may write to
// the number, not close it (the destructor does). A method that reads the
// read end until end-of-file, directly or through a helper, then never
// returns: this object still holds the write end. The warning is in that
// method, where the fix goes (close the write end first), not at each
// caller. The getter may return a plain member, an array element or a
// member of a struct member.
//
// The near misses: a class whose `take_sink()` gives the write end away
// (it forgets it), which the caller then closes before collecting; and a
// class whose own `finish()` closes the write end before the read.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s plain hang
// RUN: %run_example %s array hang
// RUN: %run_example %s nested hang
// RUN: %run_example %s taken exit
// RUN: %run_example %s finished exit

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

struct Link {
  int rd = -1, wr = -1;
};

Link make_link() {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe");
  return Link{fds[0], fds[1]};
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw std::runtime_error("read");
    }
    if (n == 0)
      break;
    out.append(buf, size_t(n));
  }
  return out;
}

void log_to(int fd, const char *line) {
  if (write(fd, line, 6) != 6)
    perror("write");
}

// The ends in two members, read through a helper.
class Capture {
public:
  Capture() {
    Link l = make_link();
    rfd_ = l.rd;
    wfd_ = l.wr;
  }
  ~Capture() {
    close(rfd_);
    close(wfd_);
  }
  Capture(const Capture &) = delete;
  Capture &operator=(const Capture &) = delete;
  int sink() const { return wfd_; }
  std::string collect() { return read_all(rfd_); }
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: reading 'rfd_' until end-of-file never ends: the object still holds the write end 'wfd_' in a member that only its destructor closes; close 'wfd_' before reading to the end [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-13]]:14: note: pipe created here

private:
  int rfd_ = -1;
  int wfd_ = -1;
};

// The ends in an array, read in the method itself.
class Spool {
public:
  Spool() {
    if (pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  ~Spool() {
    close(fds_[0]);
    close(fds_[1]);
  }
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  int input() const { return fds_[1]; }
  size_t drain() {
    char buf[512];
    size_t total = 0;
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'fds_[0]' until end-of-file never ends: the object still holds the write end 'fds_[1]' in a member that only its destructor closes; close 'fds_[1]' before reading to the end [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-16]]:9: note: pipe created here
      total += size_t(n);
    return total;
  }

private:
  int fds_[2];
};

// The ends in a struct member.
class Relay {
public:
  Relay() : link_(make_link()) {}
  ~Relay() {
    close(link_.rd);
    close(link_.wr);
  }
  Relay(const Relay &) = delete;
  Relay &operator=(const Relay &) = delete;
  int writer() const { return link_.wr; }
  std::string take_all() { return read_all(link_.rd); }
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: reading 'link_.rd' until end-of-file never ends: the object still holds the write end 'link_.wr' in a member that only its destructor closes; close 'link_.wr' before reading to the end [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:19: note: pipe created here

private:
  Link link_;
};

// Near-miss: take_sink() gives the write end away; the caller closes it.
class Handoff {
public:
  Handoff() {
    Link l = make_link();
    rfd_ = l.rd;
    wfd_ = l.wr;
  }
  ~Handoff() {
    close(rfd_);
    if (wfd_ >= 0)
      close(wfd_);
  }
  Handoff(const Handoff &) = delete;
  Handoff &operator=(const Handoff &) = delete;
  int take_sink() {
    int fd = wfd_;
    wfd_ = -1;
    return fd;
  }
  std::string collect() { return read_all(rfd_); }

private:
  int rfd_ = -1;
  int wfd_ = -1;
};

// Near-miss: the class closes its write end itself before it reads.
class Batch {
public:
  Batch() {
    Link l = make_link();
    rfd_ = l.rd;
    wfd_ = l.wr;
  }
  ~Batch() {
    close(rfd_);
    if (wfd_ >= 0)
      close(wfd_);
  }
  Batch(const Batch &) = delete;
  Batch &operator=(const Batch &) = delete;
  int sink() const { return wfd_; }
  std::string finish() {
    close(wfd_);
    wfd_ = -1;
    return read_all(rfd_);
  }

private:
  int rfd_ = -1;
  int wfd_ = -1;
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "plain") {
    Capture cap;
    log_to(cap.sink(), "line1\n");
    return cap.collect().size() == 6 ? 0 : 1;
  }
  if (s == "array") {
    Spool sp;
    log_to(sp.input(), "line1\n");
    return sp.drain() == 6 ? 0 : 1;
  }
  if (s == "nested") {
    Relay r;
    log_to(r.writer(), "line1\n");
    return r.take_all().size() == 6 ? 0 : 1;
  }
  if (s == "taken") {
    Handoff h;
    int fd = h.take_sink();
    log_to(fd, "line1\n");
    close(fd);
    return h.collect().size() == 6 ? 0 : 1;
  }
  if (s == "finished") {
    Batch b;
    log_to(b.sink(), "line1\n");
    return b.finish().size() == 6 ? 0 : 1;
  }
  return 2;
}

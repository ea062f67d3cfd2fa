// pipe-self-copy on pipes a class keeps in its members (issue #17): a
// method passes both ends of one member pipe to a copy helper, at depth 1
// (a private member function) and at depth 2 (a member function that calls
// a free copy loop). What makes the pairing visible:
//  - a call of a member function that touches nothing of its object that
//    can hold a descriptor (`copy(from, to)` uses only its parameters)
//    leaves the object with the caller, so the class stays sealed;
//  - a getter that gives one pipe's read end away (`output()`) leaves that
//    pipe out of the class model, not the class's other pipe;
//  - a destructor that closes its members with a range-for over a braced
//    list or over the member array closes each of them.
// Each class's defect hangs (the data goes round and round); the fixed
// method, copying into the other pipe, is silent and finishes; none of the
// destructors is reported as leaking. With pipe-self-copy disabled, the
// copy into a blocking pipe is pipe-self-deadlock's (one warning either
// way); the non-blocking queue's read stops when it is empty, and only the
// copy is a defect.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy,pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffix=ALONE %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s spooler hang
// RUN: %run_example %s relay hang
// RUN: %run_example %s spooler-ok exit

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

// Depth 1: the copy loop is a private member function. The output pipe
// is made first; a failure leaves -1 in the members.
class Spooler {
public:
  Spooler() {
    if (::pipe(out_) == -1) {
      out_[0] = out_[1] = -1;
      return;
    }
    if (::pipe2(pending_, O_NONBLOCK) == -1) {
      ::close(out_[1]);
      ::close(out_[0]);
      out_[0] = out_[1] = -1;
      pending_[0] = pending_[1] = -1;
    }
  }
  ~Spooler() {
    for (int fd : {out_[1], out_[0], pending_[1], pending_[0]})
      if (fd >= 0)
        ::close(fd);
  }
  Spooler(const Spooler &) = delete;
  Spooler &operator=(const Spooler &) = delete;

  bool add(const std::string &line) {
    return ::write(pending_[1], line.c_str(), line.size()) ==
           ssize_t(line.size());
  }
  long drain() { return move(pending_[0], pending_[1]); } // meant out_[1]
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'move' copies what it reads from 'pending_[0]' into 'pending_[1]', the write end of the same pipe: the data goes round and round, and each read finds what the last write put back, so the call never returns while the pipe holds data; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE+15]]:23: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-22]]:9: note: pipe created here
  long drain_ok() { return move(pending_[0], out_[1]); }
  int output() const { return out_[0]; }

private:
  // Moves what is pending; stops when nothing is (EAGAIN).
  long move(int src, int dst) {
    char chunk[128];
    long moved = 0;
    ssize_t got;
    while ((got = ::read(src, chunk, sizeof chunk)) != 0) {
      if (got < 0)
        return errno == EAGAIN ? moved : -1;
      for (ssize_t off = 0; off < got;) {
        ssize_t put = ::write(dst, chunk + off, size_t(got - off));
        if (put <= 0)
          return -1;
        off += put;
      }
      moved += got;
    }
    return moved;
  }
  int out_[2];
  int pending_[2];
};

// Depth 2: a member function hands the ends to a free copy loop. The pipe
// blocks.
long pump(int from, int to) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(from, buf, sizeof buf)) > 0) {
    if (::write(to, buf, static_cast<size_t>(n)) != n)
      return -1;
    total += n;
  }
  return n < 0 ? -1 : total;
}

struct Relay {
public:
  Relay() {
    if (::pipe2(fds_, O_CLOEXEC) != 0)
      fds_[0] = fds_[1] = -1;
    if (::pipe2(next_, O_CLOEXEC) != 0)
      next_[0] = next_[1] = -1;
  }
  ~Relay() {
    for (int fd : fds_)
      if (fd >= 0)
        ::close(fd);
    for (int fd : next_)
      if (fd != -1)
        ::close(fd);
  }
  Relay(const Relay &) = delete;
  Relay &operator=(const Relay &) = delete;

  bool feed(const char *s) {
    return ::write(fds_[1], s, std::strlen(s)) ==
           static_cast<ssize_t>(std::strlen(s));
  }
  long forward() { return hop(fds_[0], fds_[1]); } // meant next_[1]
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'hop' copies what it reads from 'fds_[0]' into 'fds_[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'fds_[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-32]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-23]]:9: note: pipe created here
  // CHECK-MESSAGES-ALONE: :[[@LINE-4]]:27: warning: 'hop' reads 'fds_[0]' until end-of-file, but it writes what it reads into 'fds_[1]', the write end of the same pipe, which this process holds: end-of-file never comes and the call never returns; pass the descriptor you meant to copy into [pipe-self-deadlock]
  // CHECK-MESSAGES-ALONE: :[[@LINE-35]]:9: note: 'fds_[1]' is written here
  // CHECK-MESSAGES-ALONE: :[[@LINE-26]]:9: note: pipe created here

private:
  long hop(int from, int to) { return pump(from, to); }
  int fds_[2];
  int next_[2];
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "spooler" || s == "spooler-ok") {
    Spooler sp;
    if (!sp.add("one\n") || !sp.add("two\n"))
      return 1;
    long moved = s == "spooler" ? sp.drain() : sp.drain_ok();
    char buf[64];
    ssize_t n = ::read(sp.output(), buf, sizeof buf);
    return moved == 8 && n == 8 ? 0 : 1;
  }
  if (s == "relay") {
    Relay r;
    if (!r.feed("hello"))
      return 1;
    return r.forward() == 5 ? 0 : 1;
  }
  return 2;
}

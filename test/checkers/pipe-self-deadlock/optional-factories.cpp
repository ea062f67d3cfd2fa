// A factory that returns a pipe's ends in a struct inside std::optional
// (`return std::nullopt;` on failure), or in a struct of descriptor
// wrappers built in the return statement (`return FdPair{Fd(p[0]),
// Fd(p[1])};`, a std::pair of them) or in a local variable it returns (`r.wr.reset(p[1]);
// return r;`, whose destructor then does not run there): the caller's optional is followed as the struct it holds
// (`o->rd`, `(*o).rd`, `o.value().rd`; `if (!o)`, `o.has_value()` tell the
// failure apart), and the wrappers' members as the ends. The factory is a
// free function, one two calls down, a member function or a lambda.
//
// Each positive reads the read end to end-of-file while this thread still
// holds the write end, so the read never ends (hang); one drops the write
// end with a reset() that does not close it (the note names the call).
// One leaks the write end on return (the scenario counts the descriptors).
//
// Near misses: the write end closed first, a reset() that closes, the
// wrappers' destructors closing both ends on an early return, and the
// caller's test of an empty optional. Each finishes, and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s optional-struct hang
// RUN: %run_example %s optional-deref-depth2 hang
// RUN: %run_example %s optional-method hang
// RUN: %run_example %s optional-lambda hang
// RUN: %run_example %s wrapper-pair hang
// RUN: %run_example %s built-pair hang
// RUN: %run_example %s wrapper-std-pair hang
// RUN: %run_example %s optional-wrapper-reset hang
// RUN: %run_example %s optional-leak exit
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s built-pair-released exit
// RUN: %run_example %s closing-reset exit
// RUN: %run_example %s wrapper-scope exit

#include <cstring>
#include <fcntl.h>
#include <optional>
#include <unistd.h>
#include <utility>

struct Ends {
  int rd;
  int wr;
};

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static std::optional<Ends> make_ends() {
  int p[2];
  if (::pipe(p) < 0)
    return std::nullopt;
  return Ends{p[0], p[1]};
}

static std::optional<Ends> open_ends() { return make_ends(); }

class Spawner {
public:
  std::optional<Ends> output_pipe() {
    int p[2];
    if (::pipe(p) < 0)
      return std::nullopt;
    ++made_;
    return Ends{p[0], p[1]};
  }

private:
  int made_ = 0;
};

// A descriptor wrapper whose reset() stores without closing.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd &&o) noexcept : fd_(o.release()) {}
  Fd(const Fd &) = delete;
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) { fd_ = fd; } // forgets to close fd_

private:
  int fd_ = -1;
};

// One whose reset() closes what it held.
class ClosingFd {
public:
  ClosingFd() = default;
  explicit ClosingFd(int fd) : fd_(fd) {}
  ClosingFd(ClosingFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  ClosingFd(const ClosingFd &) = delete;
  ~ClosingFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

struct FdPair {
  Fd rd;
  Fd wr;
};

struct ClosingPair {
  ClosingFd rd;
  ClosingFd wr;
};

static FdPair make_fd_pair() {
  int p[2];
  if (::pipe(p) < 0)
    return FdPair{};
  return FdPair{Fd(p[0]), Fd(p[1])};
}

// Built in a local variable, then returned: the wrappers' destructors do
// not run on it here.
static FdPair build_fd_pair() {
  FdPair r;
  int p[2];
  if (::pipe(p) < 0)
    return r; // both hold -1
  r.rd.reset(p[0]);
  r.wr.reset(p[1]);
  return r;
}

static std::pair<Fd, Fd> make_std_pair() {
  int p[2];
  if (::pipe(p) < 0)
    return {}; // both hold -1
  return {Fd(p[0]), Fd(p[1])};
}

static std::optional<FdPair> make_optional_pair() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0)
    return std::nullopt;
  return FdPair{Fd(p[0]), Fd(p[1])};
}

static std::optional<ClosingPair> make_closing_pair() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0)
    return std::nullopt;
  return ClosingPair{ClosingFd(p[0]), ClosingFd(p[1])};
}

long optional_struct() {
  auto e = make_ends();
  if (!e)
    return -1;
  (void)!::write(e->wr, "abc", 3);
  long n = drain(e->rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'e->rd' until end-of-file never ends: this process still holds the write end 'e->wr'; close 'e->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:12: note: pipe created here
  ::close(e->wr);
  ::close(e->rd);
  return n;
}

long optional_deref_depth2() {
  std::optional<Ends> e = open_ends();
  if (!e.has_value())
    return -1;
  (void)!::write((*e).wr, "abc", 3);
  long n = drain((*e).rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'e->rd' until end-of-file never ends: this process still holds the write end 'e->wr'; close 'e->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:27: note: pipe created here
  ::close((*e).wr);
  ::close((*e).rd);
  return n;
}

long optional_method() {
  Spawner sp;
  auto e = sp.output_pipe();
  if (!e)
    return -1;
  long n = drain(e.value().rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'e->rd' until end-of-file never ends: this process still holds the write end 'e->wr'; close 'e->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: pipe created here
  ::close(e->wr);
  ::close(e->rd);
  return n;
}

long optional_lambda() {
  auto make = []() -> std::optional<Ends> {
    int p[2];
    if (::pipe(p) < 0)
      return std::nullopt;
    return Ends{p[0], p[1]};
  };
  auto e = make();
  if (!e)
    return -1;
  long n = drain(e->rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'e->rd' until end-of-file never ends: this process still holds the write end 'e->wr'; close 'e->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: pipe created here
  ::close(e->wr);
  ::close(e->rd);
  return n;
}

long wrapper_pair() {
  FdPair pp = make_fd_pair();
  if (pp.rd.get() < 0)
    return -1;
  (void)!::write(pp.wr.get(), "abc", 3);
  return drain(pp.rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'pp.rd' until end-of-file never ends: this process still holds the write end 'pp.wr'; close 'pp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: pipe created here
}

long built_pair() {
  FdPair pp = build_fd_pair();
  if (pp.rd.get() < 0)
    return -1;
  (void)!::write(pp.wr.get(), "abc", 3);
  return drain(pp.rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'pp.rd' until end-of-file never ends: this process still holds the write end 'pp.wr'; close 'pp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: pipe created here
}

long wrapper_std_pair() {
  auto pp = make_std_pair();
  if (pp.first.get() < 0)
    return -1;
  (void)!::write(pp.second.get(), "abc", 3);
  return drain(pp.first.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'pp.first' until end-of-file never ends: this process still holds the write end 'pp.second'; close 'pp.second' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: pipe created here
}

long optional_wrapper_reset() {
  auto p = make_optional_pair();
  if (!p)
    return -1;
  p->wr.reset(); // meant to close the write end
  return drain(p->rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'p->rd' until end-of-file never ends: this process still holds the write end 'p->wr'; close 'p->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'Fd::reset' overwrites the write end 'p->wr' here without closing it; close what it replaces in 'Fd::reset'
  // CHECK-MESSAGES: :[[@LINE-7]]:12: note: pipe created here
}

int optional_leak() {
  auto e = make_ends();
  if (!e)
    return -1;
  (void)!::write(e->wr, "abc", 3);
  char buf[3];
  int n = int(::read(e->rd, buf, sizeof buf));
  ::close(e->rd);
  return n;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'optional_leak' leaks the write end 'e->wr' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:12: note: pipe created here
}

// Near misses.

long closed_first() {
  auto e = make_ends();
  if (!e)
    return -1;
  (void)!::write(e->wr, "abc", 3);
  ::close(e->wr);
  long n = drain(e->rd);
  ::close(e->rd);
  return n;
}

long built_pair_released() {
  FdPair pp = build_fd_pair();
  if (pp.rd.get() < 0)
    return -1;
  (void)!::write(pp.wr.get(), "abc", 3);
  ::close(pp.wr.release());
  return drain(pp.rd.get());
}

long closing_reset() {
  auto p = make_closing_pair();
  if (!p)
    return -1;
  (void)!::write(p->wr.get(), "abc", 3);
  p->wr.reset();
  return drain(p->rd.get());
}

long wrapper_scope(bool quiet) {
  auto p = make_optional_pair();
  if (!p)
    return -1;
  if (quiet)
    return 0; // both wrappers close their ends here
  (void)!::write(p->wr.get(), "abc", 3);
  return 3;
}

static int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 256; fd++)
    n += ::fcntl(fd, F_GETFD) >= 0;
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  if (!std::strcmp(s, "optional-struct"))
    return optional_struct() < 0;
  if (!std::strcmp(s, "optional-deref-depth2"))
    return optional_deref_depth2() < 0;
  if (!std::strcmp(s, "optional-method"))
    return optional_method() < 0;
  if (!std::strcmp(s, "optional-lambda"))
    return optional_lambda() < 0;
  if (!std::strcmp(s, "wrapper-pair"))
    return wrapper_pair() < 0;
  if (!std::strcmp(s, "built-pair"))
    return built_pair() < 0;
  if (!std::strcmp(s, "built-pair-released"))
    return built_pair_released() == 3 ? 0 : 1;
  if (!std::strcmp(s, "wrapper-std-pair"))
    return wrapper_std_pair() < 0;
  if (!std::strcmp(s, "optional-wrapper-reset"))
    return optional_wrapper_reset() < 0;
  if (!std::strcmp(s, "optional-leak")) {
    int before = open_fds();
    optional_leak();
    return open_fds() == before + 1 ? 0 : 1; // the write end leaked
  }
  if (!std::strcmp(s, "closed-first"))
    return closed_first() == 3 ? 0 : 1;
  if (!std::strcmp(s, "closing-reset"))
    return closing_reset() == 3 ? 0 : 1;
  if (!std::strcmp(s, "wrapper-scope")) {
    int before = open_fds();
    wrapper_scope(true);
    return open_fds() == before ? 0 : 1;
  }
  return 2;
}

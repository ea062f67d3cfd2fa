// pipe-self-deadlock with descriptors owned by a unique_fd-like wrapper
// (UniqueFd: a constructor that keeps its argument, in its initialiser
// list or, for FileDesc, in its body; reset(), get(),
// release(), a destructor that closes): the engine follows the descriptor
// into the wrapper's member, through reset() and a wrapper struct filled
// by a helper one or two calls deep or by a braced list (`PipePair
// pp{UniqueFd(fds[0]), UniqueFd(fds[1])}`), from one wrapper into another by its
// move constructor, out again through release() or std::exchange(), and
// closed by the destructors (the implicit one of PipePair runs its
// members').
//
// Each finding reads the pipe to end-of-file after starting a child that
// writes it, while this process still holds the write end: in a wrapper
// that nobody resets (or that it was moved into), or released into a
// helper that only hands the child a copy. Each hangs. The near misses
// close the write end first: reset(), a wrapper destroyed at the end of its
// block (also one it was moved into), or a helper that closes the released
// descriptor; each finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s owned-reader hang
// RUN: %run_example %s reset-reader hang
// RUN: %run_example %s wrapper-kept hang
// RUN: %run_example %s released hang
// RUN: %run_example %s exchanged hang
// RUN: %run_example %s moved-owner hang
// RUN: %run_example %s body-stored hang
// RUN: %run_example %s braced-pair hang
// RUN: %run_example %s reset-first exit
// RUN: %run_example %s moved-inner-scope exit
// RUN: %run_example %s scoped-writer exit
// RUN: %run_example %s released-closed exit
// RUN: %run_example %s body-stored-scoped exit
// RUN: %run_example %s braced-pair-reset exit
// RUN: %run_example %s braced-pair-scoped exit

#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&o) noexcept : fd_(o.release()) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

// The same, giving its descriptor up with std::exchange().
class ScopedFd {
public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(ScopedFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  ScopedFd(const ScopedFd &) = delete;
  ~ScopedFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_;
};

// The same, keeping its descriptor in the constructor's body.
class FileDesc {
public:
  explicit FileDesc(int fd) { fd_ = fd; }
  FileDesc(const FileDesc &) = delete;
  ~FileDesc() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

struct PipePair {
  UniqueFd rd, wr;
};

static bool open_pipe(PipePair &pp) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return false;
  pp.rd.reset(fds[0]);
  pp.wr.reset(fds[1]);
  return true;
}

static bool open_capture(PipePair *pp) { return open_pipe(*pp); }

// The child writes a line on out_fd. The caller keeps out_fd: the child's
// copy is the only one this function touches.
static pid_t start_writer(int out_fd) {
  pid_t pid = ::fork();
  if (pid == 0) {
    (void)!::write(out_fd, "line\n", 5);
    ::_exit(0);
  }
  return pid;
}

// The same, but the parent closes out_fd after the fork: it takes it.
static pid_t start_writer_taking(int out_fd) {
  pid_t pid = start_writer(out_fd);
  ::close(out_fd);
  return pid;
}

static long drain_fd(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int finish(pid_t pid, long got) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return got == 5 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

int owned_reader() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  UniqueFd rd(fds[0]);
  pid_t pid = start_writer(fds[1]);
  char buf[256];
  long got = 0;
  ssize_t n;
  while ((n = ::read(rd.get(), buf, sizeof buf)) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
    got += n;
  ::close(fds[1]);
  return finish(pid, got);
}

int reset_reader() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  UniqueFd rd;
  rd.reset(fds[0]);
  pid_t pid = start_writer(fds[1]);
  char buf[256];
  long got = 0;
  ssize_t n;
  while ((n = ::read(rd.get(), buf, sizeof buf)) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    got += n;
  ::close(fds[1]);
  return finish(pid, got);
}

int wrapper_kept() {
  PipePair pp;
  if (!open_capture(&pp))
    return 1;
  pid_t pid = start_writer(pp.wr.get());
  char buf[256];
  long got = 0;
  ssize_t n;
  while ((n = ::read(pp.rd.get(), buf, sizeof buf)) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'pp.rd' until end-of-file never ends: this process still holds the write end 'pp.wr'; the child process it was passed to holds only a copy, and its exit does not close this one; call 'pp.wr.reset()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:8: note: pipe created here
    got += n;
  return finish(pid, got);
}

int released() {
  PipePair pp;
  if (!open_pipe(pp))
    return 1;
  pid_t pid = start_writer(pp.wr.release());
  long got = drain_fd(pp.rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'pp.rd' until end-of-file never ends: this process still holds the write end 'pp.wr'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'pp.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: the write end leaves its owner here through 'release()': nothing closes it after that; close the descriptor 'release()' returns once the child has it
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: pipe created here
  return finish(pid, got);
}

int exchanged() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  ScopedFd rd(fds[0]), wr(fds[1]);
  pid_t pid = start_writer(wr.release());
  long got = drain_fd(rd.get());
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: the write end leaves its owner here through 'release()': nothing closes it after that; close the descriptor 'release()' returns once the child has it
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  return finish(pid, got);
}

int moved_owner() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  UniqueFd rd(fds[0]);
  UniqueFd wr(fds[1]);
  UniqueFd keeper(std::move(wr));
  pid_t pid = start_writer(keeper.get());
  return finish(pid, drain_fd(rd.get()));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; call 'keeper.reset()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:12: note: 'keeper' holds the write end in a member and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

// Near misses.

int reset_first() {
  PipePair pp;
  if (!open_capture(&pp))
    return 1;
  pid_t pid = start_writer(pp.wr.get());
  pp.wr.reset();
  return finish(pid, drain_fd(pp.rd.get()));
}

int scoped_writer() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  UniqueFd rd(fds[0]);
  pid_t pid;
  {
    UniqueFd wr(fds[1]);
    pid = start_writer(wr.get());
  }
  return finish(pid, drain_fd(rd.get()));
}

int moved_inner_scope() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  ScopedFd rd(fds[0]), wr(fds[1]);
  pid_t pid;
  {
    ScopedFd inner(std::move(wr));
    pid = start_writer(inner.get());
  }
  return finish(pid, drain_fd(rd.get()));
}

int released_closed() {
  PipePair pp;
  if (!open_pipe(pp))
    return 1;
  pid_t pid = start_writer_taking(pp.wr.release());
  return finish(pid, drain_fd(pp.rd.get()));
}

int body_stored() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  FileDesc rd(fds[0]), wr(fds[1]);
  pid_t pid = start_writer(wr.get());
  return finish(pid, drain_fd(rd.get()));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; end the scope of 'wr', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:24: note: 'wr' owns the write end from here and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
}

int body_stored_scoped() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  FileDesc rd(fds[0]);
  pid_t pid;
  {
    FileDesc wr(fds[1]);
    pid = start_writer(wr.get());
  }
  return finish(pid, drain_fd(rd.get()));
}

int braced_pair() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  PipePair pp{UniqueFd(fds[0]), UniqueFd(fds[1])};
  pid_t pid = start_writer(pp.wr.get());
  return finish(pid, drain_fd(pp.rd.get()));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; call 'pp.wr.reset()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
}

int braced_pair_reset() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  PipePair pp{UniqueFd(fds[0]), UniqueFd(fds[1])};
  pid_t pid = start_writer(pp.wr.get());
  pp.wr.reset();
  return finish(pid, drain_fd(pp.rd.get()));
}

int braced_pair_scoped() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return 1;
  UniqueFd rd(fds[0]);
  pid_t pid;
  {
    PipePair out{UniqueFd(), UniqueFd(fds[1])};
    pid = start_writer(out.wr.get());
  }
  return finish(pid, drain_fd(rd.get()));
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "owned-reader")
    return owned_reader();
  if (s == "reset-reader")
    return reset_reader();
  if (s == "wrapper-kept")
    return wrapper_kept();
  if (s == "released")
    return released();
  if (s == "exchanged")
    return exchanged();
  if (s == "moved-owner")
    return moved_owner();
  if (s == "moved-inner-scope")
    return moved_inner_scope();
  if (s == "reset-first")
    return reset_first();
  if (s == "scoped-writer")
    return scoped_writer();
  if (s == "released-closed")
    return released_closed();
  if (s == "body-stored")
    return body_stored();
  if (s == "body-stored-scoped")
    return body_stored_scoped();
  if (s == "braced-pair")
    return braced_pair();
  if (s == "braced-pair-reset")
    return braced_pair_reset();
  if (s == "braced-pair-scoped")
    return braced_pair_scoped();
  return 2;
}

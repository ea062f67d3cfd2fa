// pipe-unclosed-write-end with descriptors owned by RAII wrappers: a
// unique_fd-like class (a constructor that keeps its argument, reset(),
// release(), a destructor that closes) and a struct of two of them filled
// by a helper (PipePair: its implicit destructor runs theirs).
//
// Findings: a write end released from its wrapper (filled by reset(), or
// constructed with it) and then dropped, and a write end not yet given to
// its wrapper when the function returns early.
// Each leaks a descriptor per call (main counts them in /proc/self/fd and
// exits 0 only when the count grew).
//
// Near misses: both ends in wrappers when the function returns early; a
// PipePair made and dropped (its members' destructors close both ends).
// Neither leaks (main exits 0 only when the count is unchanged).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s released-dropped exit
// RUN: %run_example %s released-from-owner exit
// RUN: %run_example %s late-owner exit
// RUN: %run_example %s owned-both exit
// RUN: %run_example %s dropped-pair exit

#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <unistd.h>

class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
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

static int open_fds() {
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

int released_dropped() {
  PipePair pp;
  if (!open_pipe(pp))
    return -1;
  int w = pp.wr.release();
  if (w < 0)
    return -1;
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'released_dropped' leaks the write end 'w' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:8: note: pipe created here
}

int released_from_owner() {
  int fds[2];
  if (::pipe(fds) < 0)
    return -1;
  UniqueFd rd(fds[0]), wr(fds[1]);
  int w = wr.release();
  if (w < 0)
    return -1;
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'released_from_owner' leaks the write end 'w' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
}

int late_owner(bool fail) {
  int fds[2];
  if (::pipe(fds) < 0)
    return -1;
  UniqueFd rd(fds[0]);
  if (fail)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'late_owner' leaks the write end 'fds[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  UniqueFd wr(fds[1]);
  return ::write(wr.get(), "x", 1) == 1 ? 0 : -1;
}

// Near misses.

int owned_both(bool fail) {
  int fds[2];
  if (::pipe(fds) < 0)
    return -1;
  UniqueFd rd(fds[0]), wr(fds[1]);
  if (fail)
    return -1;
  return ::write(wr.get(), "x", 1) == 1 ? 0 : -1;
}

int dropped_pair() {
  PipePair pp;
  if (!open_pipe(pp))
    return -1;
  return 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "released-dropped") {
    released_dropped();
    return open_fds() > before ? 0 : 1;
  }
  if (s == "released-from-owner") {
    released_from_owner();
    return open_fds() > before ? 0 : 1;
  }
  if (s == "late-owner") {
    late_owner(true);
    return open_fds() > before ? 0 : 1;
  }
  if (s == "owned-both") {
    owned_both(true);
    owned_both(false);
    return open_fds() == before ? 0 : 1;
  }
  if (s == "dropped-pair") {
    dropped_pair();
    return open_fds() == before ? 0 : 1;
  }
  return 2;
}

// UniqueFd, a move-only owner of one descriptor as C++ programs write
// their own: the constructor keeps its argument, reset() closes what it
// holds and keeps the new one, release() gives it up, the destructor
// closes it, and the move assignment tests for self-assignment first
// (`if (this != &o)`), as most hand-written ones do. Shared by the tests
// that follow descriptors through such wrappers.
#ifndef PIPE_TIDY_TEST_UNIQUE_FD_H
#define PIPE_TIDY_TEST_UNIQUE_FD_H

#include <unistd.h>
#include <utility>

class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&o) noexcept : fd_(o.release()) {}
  UniqueFd &operator=(UniqueFd &&o) noexcept {
    if (this != &o)
      reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

#endif

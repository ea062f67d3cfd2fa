// An exception that leaves a function after it stored a pipe in its
// caller's places (a member of `*this`, what a pointer parameter points to)
// leaves the pipe with the caller, as a return does: the object's
// destructor, or the caller's catch, closes it. pipe-unclosed-write-end is
// silent; each scenario throws 32 times and ends with no descriptor left
// open.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s member-throw exit
// RUN: %run_example %s pointer-throw exit

#include <cstdio>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; ++fd)
    if (fcntl(fd, F_GETFD) != -1)
      ++n;
  return n;
}

// The members are closed by the destructor, whatever start() did.
class Job {
public:
  ~Job() {
    if (out_[0] >= 0)
      close(out_[0]);
    if (out_[1] >= 0)
      close(out_[1]);
  }
  void start(bool fail) {
    if (pipe(out_) < 0)
      throw std::runtime_error("pipe");
    if (fail)
      throw std::runtime_error("cannot start the job");
    close(out_[1]);
    out_[1] = -1;
  }

private:
  int out_[2] = {-1, -1};
};

struct Channel {
  int rd = -1;
  int wr = -1;
};

// Fills the caller's channel, then fails: the caller closes what it holds.
void openChannel(Channel *c, bool fail) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::runtime_error("pipe");
  c->rd = fds[0];
  c->wr = fds[1];
  if (fail)
    throw std::runtime_error("cannot configure the channel");
}

void closeChannel(Channel &c) {
  if (c.rd >= 0)
    close(c.rd);
  if (c.wr >= 0)
    close(c.wr);
  c.rd = c.wr = -1;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "member-throw") {
    for (int i = 0; i < 32; ++i) {
      Job j;
      try {
        j.start(true);
      } catch (const std::exception &) {
      }
    }
    return open_fds() != before;
  }
  if (s == "pointer-throw") {
    for (int i = 0; i < 32; ++i) {
      Channel c;
      try {
        openChannel(&c, true);
      } catch (const std::exception &) {
        closeChannel(c);
      }
    }
    return open_fds() != before;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

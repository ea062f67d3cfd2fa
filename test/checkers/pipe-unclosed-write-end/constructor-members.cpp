// pipe-unclosed-write-end in a constructor that an exception leaves after
// it stored a pipe in members: the object is never constructed, so its
// destructor does not run. When both ends are in members, nothing can
// read the pipe afterwards: the warning names both ends and says they
// leak, not that a reader blocks. When the read end went to the caller,
// a reader still waits, and the warning says so.
//
// Each positive makes pipe() fail for the second pipe (RLIMIT_NOFILE) and
// checks that the first pipe's descriptors are still open after the
// exception: it exits 0 only when it sees the leak. The near miss closes
// them before the exception leaves and finishes.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s links exit
// RUN: %run_example %s plain-array exit
// RUN: %run_example %s cleaned exit

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <system_error>
#include <unistd.h>

struct Pipe {
  int rd = -1;
  int wr = -1;
};

static Pipe make_pipe() {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  return Pipe{fds[0], fds[1]};
}

// Two links in a std::array member.
class Links {
public:
  Links() {
    links_[0] = make_pipe();
    links_[1] = make_pipe();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: write end 'links_[0].wr' and read end 'links_[0].rd' of the pipe are kept in members when an exception from 'make_pipe' leaves the constructor 'Links' here: the object is never constructed, so its destructor does not run and nothing closes them; each such exception leaks them; close them before the exception leaves, or keep them in members whose own destructors close them [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:5: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: pipe created here
  }
  ~Links() {
    for (Pipe &p : links_) {
      close(p.rd);
      close(p.wr);
    }
  }

private:
  std::array<Pipe, 2> links_;
};

// The same with a plain array member.
class PlainLinks {
public:
  PlainLinks() {
    links_[0] = make_pipe();
    links_[1] = make_pipe();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: write end 'links_[0].wr' and read end 'links_[0].rd' of the pipe are kept in members when an exception from 'make_pipe' leaves the constructor 'PlainLinks' here: the object is never constructed, so its destructor does not run and nothing closes them; each such exception leaks them; close them before the exception leaves, or keep them in members whose own destructors close them [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-32]]:5: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: pipe created here
  }
  ~PlainLinks() {
    for (Pipe &p : links_) {
      close(p.rd);
      close(p.wr);
    }
  }

private:
  Pipe links_[2];
};

// Closes the first pipe when the second cannot be made.
class CleanLinks {
public:
  CleanLinks() {
    links_[0] = make_pipe();
    try {
      links_[1] = make_pipe();
    } catch (...) {
      close(links_[0].rd);
      close(links_[0].wr);
      throw;
    }
  }
  ~CleanLinks() {
    for (Pipe &p : links_) {
      close(p.rd);
      close(p.wr);
    }
  }

private:
  std::array<Pipe, 2> links_;
};

// Leaves room for exactly one more pipe, and returns the first descriptor
// that pipe will get.
static int room_for_one_pipe() {
  int probe = dup(0);
  close(probe);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rlim_t(probe + 2);
  setrlimit(RLIMIT_NOFILE, &rl);
  return probe;
}

template <typename T> static int leaked_after_exception() {
  int first = room_for_one_pipe();
  try {
    T t;
  } catch (const std::system_error &) {
    // The first pipe's descriptors: still open?
    return fcntl(first, F_GETFD) >= 0 && fcntl(first + 1, F_GETFD) >= 0 ? 0 : 1;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  if (s == "links")
    return leaked_after_exception<Links>();
  if (s == "plain-array")
    return leaked_after_exception<PlainLinks>();
  if (s == "cleaned")
    return leaked_after_exception<CleanLinks>() == 1 ? 0 : 1;
  return 2;
}

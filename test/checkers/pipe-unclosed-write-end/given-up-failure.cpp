// C++ shapes of given-up-failure.c: a struct passed by reference, pipes
// made by a helper taking `int (&)[2]`, and a namespace-scope function
// whose failure path closes one pipe of the caller's and not the other.
// The leak scenario aborts when the failed calls left their descriptors
// open; the near-miss exits 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s wrong-label abort
// RUN: %run_example %s right-label exit

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

static int open_descriptors() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

struct Streams {
  int out[2];
  int err[2];
};

static bool make_pipe(int (&fds)[2]) { return pipe2(fds, O_CLOEXEC) == 0; }

static bool found(const std::string &tool) { return tool != "fail"; }

namespace spawn {
bool open_streams(Streams &s, const std::string &tool) {
  if (!make_pipe(s.out))
    return false;
  if (!make_pipe(s.err)) {
    close(s.out[0]);
    close(s.out[1]);
    return false;
  }
  if (!found(tool)) {
    close(s.out[0]);
    close(s.out[1]);
    return false;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'open_streams' returns false here after closing 's.out[0]' and 's.out[1]', but leaves the write end 's.err[1]' (and the read end 's.err[0]') of the pipe it stores through 's' open: a caller that gets this failure does not know to close them, so the pipe leaks; close them on this path as well [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  }
  return true;
}

bool open_streams_right(Streams &s, const std::string &tool) {
  if (!make_pipe(s.out))
    return false;
  if (!make_pipe(s.err)) {
    close(s.out[0]);
    close(s.out[1]);
    return false;
  }
  if (!found(tool)) {
    close(s.err[0]);
    close(s.err[1]);
    close(s.out[0]);
    close(s.out[1]);
    return false;
  }
  return true;
}
} // namespace spawn

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  int before = open_descriptors();
  Streams s;
  if (!strcmp(argv[1], "wrong-label")) {
    for (int i = 0; i < 3; i++)
      if (spawn::open_streams(s, "fail"))
        return 1;
    if (open_descriptors() == before + 6)
      abort();
    return 1;
  }
  if (!strcmp(argv[1], "right-label")) {
    for (int i = 0; i < 3; i++)
      if (spawn::open_streams_right(s, "fail"))
        return 1;
    return open_descriptors() == before ? 0 : 1;
  }
  return 2;
}

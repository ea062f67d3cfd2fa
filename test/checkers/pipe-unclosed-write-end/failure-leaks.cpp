// pipe-unclosed-write-end, C++: a function given a struct by reference
// stores a pipe made by a helper (`make_pipe()`, depth 1) in it, then a
// second pipe fails and it returns false without closing the first; its
// caller drops the object on false. The scenario limits the process to
// room for one pipe and exits 0 when the failure leaked descriptors. The
// near-miss (the function closes the first pipe before it returns false)
// terminates with nothing leaked and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s reference exit
// RUN: %run_example %s closes exit

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace {

int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; ++fd)
    if (fcntl(fd, F_GETFD) >= 0)
      ++n;
  return n;
}

void room_for_one_pipe() {
  int maxfd = 0;
  for (int fd = 0; fd < 1024; ++fd)
    if (fcntl(fd, F_GETFD) >= 0)
      maxfd = fd;
  rlimit rl{rlim_t(maxfd) + 3, rlim_t(maxfd) + 3};
  setrlimit(RLIMIT_NOFILE, &rl);
}

struct Channels {
  int events[2];
  int replies[2];
};

int make_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

bool open_channels(Channels &c) {
  if (make_pipe(c.events) < 0)
    return false;
  if (make_pipe(c.replies) < 0)
    // CHECK-MESSAGES: :[[@LINE+2]]:5: warning: write end 'c.events[1]' (and the read end 'c.events[0]') of the pipe that 'open_channels' stores through its parameter 'c' are still open when 'open_channels' returns false here; its callers take that result as a failure and drop 'c' without closing them, so the pipe leaks; close them before returning the failure [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
    return false;
  return true;
}

bool reference() {
  Channels c;
  // CHECK-MESSAGES: :[[@LINE+1]]:8: note: the caller gets the failure here
  if (!open_channels(c))
    return false;
  write(c.events[1], "e", 1);
  for (int fd : {c.events[0], c.events[1], c.replies[0], c.replies[1]})
    close(fd);
  return true;
}

// Near-miss: the first pipe is closed before the failure is returned.
bool open_channels_closing(Channels &c) {
  if (make_pipe(c.events) < 0)
    return false;
  if (make_pipe(c.replies) < 0) {
    close(c.events[0]);
    close(c.events[1]);
    return false;
  }
  return true;
}

bool closes() {
  Channels c;
  if (!open_channels_closing(c))
    return false;
  for (int fd : {c.events[0], c.events[1], c.replies[0], c.replies[1]})
    close(fd);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  room_for_one_pipe();
  // Not tested here: the leak must outlive the call.
  if (std::strcmp(s, "reference") == 0)
    reference();
  else if (std::strcmp(s, "closes") == 0)
    closes();
  else
    return 2;
  int after = open_fds();
  std::printf("%s: descriptors %d -> %d\n", s, before, after);
  bool leaked = after > before;
  return std::strcmp(s, "reference") == 0 ? !leaked : leaked;
}

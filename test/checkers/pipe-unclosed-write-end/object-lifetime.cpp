// A local object whose constructor or method made a pipe into its members
// is followed through its life: its constructor is a call on it, and when
// it is destroyed its destructor does what its summary says. Channel's and
// Pipe's destructors close both ends: nothing leaks, nothing is reported
// (before, each return of use_channel() was a false warning, and Pipe's
// constructor was not followed at all). Leaky's and Sticky's destructors
// never close them: every object leaks both, one warning at the pipe()
// that says so, none at the callers. Labelled is a struct with a
// std::string member (its destructor is the compiler's) and plain int
// ends: the caller leaks them, even after assigning the string member. The
// leak scenarios abort when exactly 16 more descriptors are open after 8
// calls.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s channel exit
// RUN: %run_example %s leaky abort
// RUN: %run_example %s labelled abort
// RUN: %run_example %s pipe exit
// RUN: %run_example %s sticky abort

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

static int open_descriptors() {
  int N = 0;
  for (int Fd = 0; Fd < 1024; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0)
      ++N;
  return N;
}

class Channel {
public:
  bool open() { return ::pipe(Fds) == 0; }
  bool send(char C) { return ::write(Fds[1], &C, 1) == 1; }
  ~Channel() {
    if (Fds[0] >= 0)
      ::close(Fds[0]);
    if (Fds[1] >= 0)
      ::close(Fds[1]);
  }

private:
  int Fds[2] = {-1, -1};
};

static int use_channel(bool Early) {
  Channel C;
  if (!C.open())
    return -1;
  if (Early)
    return 1;
  return C.send('x') ? 0 : -1;
}

class Leaky {
public:
  bool open() { return ::pipe(Fds) == 0; }
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: write end 'Fds[1]' of this pipe is kept in a member of 'Leaky' that no method of 'Leaky' closes, not even its destructor: every 'Leaky' object leaks it; close 'Fds[1]' in the destructor [pipe-unclosed-write-end]
  ~Leaky() { ++Destroyed; }
  static int Destroyed;

private:
  int Fds[2] = {-1, -1};
};
int Leaky::Destroyed = 0;

static int use_leaky() {
  Leaky L;
  if (!L.open())
    return -1;
  return 0;
}

struct Labelled {
  std::string Label;
  int Fds[2] = {-1, -1};
};

static int use_labelled(const char *Name) {
  Labelled L;
  L.Label = Name;
  if (::pipe(L.Fds) != 0)
    return -1;
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'use_labelled' leaks the write end 'L.Fds[1]' (and the read end 'L.Fds[0]') of the pipe when it returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
}

class Pipe {
public:
  Pipe() {
    if (::pipe(Fds) != 0)
      throw std::runtime_error("pipe");
  }
  Pipe(const Pipe &) = delete;
  Pipe &operator=(const Pipe &) = delete;
  ~Pipe() {
    ::close(Fds[0]);
    ::close(Fds[1]);
  }
  bool put(char C) { return ::write(Fds[1], &C, 1) == 1; }

private:
  int Fds[2];
};

static int use_pipe(bool Early) {
  Pipe P;
  if (Early)
    return 1;
  return P.put('p') ? 0 : -1;
}

class Sticky {
public:
  Sticky() {
    if (::pipe(Fds) != 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: write end 'Fds[1]' of this pipe is kept in a member of 'Sticky' that no method of 'Sticky' closes, not even its destructor: every 'Sticky' object leaks it; close 'Fds[1]' in the destructor [pipe-unclosed-write-end]
      throw std::runtime_error("pipe");
  }
  ~Sticky() { ++Destroyed; }
  static int Destroyed;

private:
  int Fds[2];
};
int Sticky::Destroyed = 0;

static int use_sticky(bool Early) {
  Sticky S;
  if (Early)
    return 1;
  return 0;
}

int main(int argc, char **argv) {
  const char *S = argc > 1 ? argv[1] : "";
  int Before = open_descriptors();
  if (std::strcmp(S, "channel") == 0) {
    for (int I = 0; I < 8; ++I)
      use_channel(I % 2 == 0);
    return open_descriptors() != Before;
  }
  if (std::strcmp(S, "leaky") == 0) {
    for (int I = 0; I < 8; ++I)
      use_leaky();
    if (open_descriptors() - Before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(S, "labelled") == 0) {
    for (int I = 0; I < 8; ++I)
      use_labelled("job");
    if (open_descriptors() - Before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(S, "pipe") == 0) {
    for (int I = 0; I < 8; ++I)
      use_pipe(I % 2 == 0);
    return open_descriptors() != Before;
  }
  if (std::strcmp(S, "sticky") == 0) {
    for (int I = 0; I < 8; ++I)
      use_sticky(I % 2 == 0);
    if (open_descriptors() - Before == 16)
      std::abort();
    return 0;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", S);
  return 2;
}

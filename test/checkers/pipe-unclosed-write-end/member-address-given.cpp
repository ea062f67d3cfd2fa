// C++ shapes of member-address-given.c: a local object whose members are a
// pipe and a timestamp; clock_gettime() (not seen) is given the address
// of the timestamp, directly in a member function of the object and
// through a lambda. The pipe's other member stays followed: the leak on
// the failure path is reported once, and the near miss that closes both
// ends everywhere is silent (before, it was reported as "no path closes
// it"). A method that names the pipe's members (and closes them) is not
// narrowed: its own summary says what it does.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -std=c++17 -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <unistd.h>

#include "count-fds.h"

struct Session {
  int fds[2];
  timespec started;
  std::string name;

  void stamp() { clock_gettime(CLOCK_MONOTONIC, &started); }
  void stamp_and_close() {
    stamp();
    close(fds[0]);
    close(fds[1]);
  }
};

int open_session(const std::string &name, bool fail) {
  Session s;
  if (pipe(s.fds) < 0)
    return -1;
  s.name = name;
  s.stamp();
  auto mark = [](timespec *t) { clock_gettime(CLOCK_REALTIME, t); };
  mark(&s.started);
  if (fail) {
    close(s.fds[0]);
    return -1;
  }
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: 'open_session' leaks the write end 's.fds[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  close(s.fds[0]);
  close(s.fds[1]);
  return 0;
}

int open_session_closed(const std::string &name, bool fail) {
  Session s;
  if (pipe(s.fds) < 0)
    return -1;
  s.name = name;
  s.stamp();
  clock_gettime(CLOCK_REALTIME, &s.started);
  if (fail) {
    close(s.fds[0]);
    close(s.fds[1]);
    return -1;
  }
  close(s.fds[0]);
  close(s.fds[1]);
  return 0;
}

// The method called on the failure path names the pipe's members too, and
// closes them: nothing leaks.
int open_session_method_closes(bool fail) {
  Session s;
  if (pipe(s.fds) < 0)
    return -1;
  s.stamp();
  if (fail) {
    s.stamp_and_close();
    return -1;
  }
  close(s.fds[0]);
  close(s.fds[1]);
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (std::strcmp(s, "leaks") == 0) {
    for (int i = 0; i < 3; i++)
      if (open_session("x", true) != -1)
        return 1;
    return open_fds() - before == 3 ? 0 : 1;
  }
  if (std::strcmp(s, "closes") == 0) {
    for (int i = 0; i < 3; i++)
      if (open_session_closed("x", i % 2) == -2 ||
          open_session_method_closes(i % 2) == -2)
        return 1;
    return open_fds() == before ? 0 : 1;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

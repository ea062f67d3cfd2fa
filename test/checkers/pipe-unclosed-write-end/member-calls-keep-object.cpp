// A call of a member function that touches nothing of its object that can
// hold a descriptor (a getter of a string member, a counter of a bool, a
// method that only calls such methods) leaves the object with the caller:
// the pipe kept in the object is still the caller's to close, and a path
// that forgets it leaks it. A method that names a descriptor member, a
// virtual one, or one whose body is elsewhere still takes the object.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include "count-fds.h"
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

struct Link {
  int fds[2] = {-1, -1};
  std::string name;
  bool verbose = false;
  const std::string &label() const { return name; }
  bool quiet() const { return !verbose; }
  bool describe() const { return quiet() && !label().empty(); } // two deep
  void close_all() {
    close(fds[0]);
    close(fds[1]);
  }
  int write_end() const { return fds[1]; }
  virtual bool check() const { return true; }
  virtual ~Link() = default;
};

int open_link(const std::string &name) {
  Link l;
  l.name = name;
  if (pipe(l.fds) != 0)
    return -1;
  if (l.label().empty())
    return -1; // leaks both ends
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'open_link' leaks the write end 'l.fds[1]' (and the read end 'l.fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if (!l.describe())
    l.verbose = true;
  l.close_all();
  return 0;
}

// Near-misses: every path closes, through the method that names them.
int open_link_ok(const std::string &name) {
  Link l;
  l.name = name;
  if (pipe(l.fds) != 0)
    return -1;
  if (l.label().empty() || !l.describe()) {
    l.close_all();
    return -1;
  }
  l.close_all();
  return 0;
}

// Silent: the method may keep what it is given (a virtual call, a method
// that hands the write end out).
int handed_out(Link &l, int *out) {
  if (pipe(l.fds) != 0)
    return -1;
  if (!l.check())
    return -1;
  *out = l.write_end();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "leaks") {
    for (int i = 0; i < 16; ++i)
      open_link("");
    return open_fds() - before != 32;
  }
  if (s == "closes") {
    for (int i = 0; i < 16; ++i) {
      open_link("a");
      open_link_ok("");
      open_link_ok("b");
    }
    return open_fds() != before;
  }
  return 2;
}

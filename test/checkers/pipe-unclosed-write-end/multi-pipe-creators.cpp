// Helpers that make more than one pipe for their caller, in C++: a member
// function that makes a child's stdin and stdout pipes into its object's
// members, a function that returns both pipes in a struct by value (-1 in
// every member on failure), and a member function that only writes an end
// of its object (the object stays the caller's). A path that forgets the
// ends is reported; the near-misses close everything.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include "count-fds.h"
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

struct ChildPipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};

  bool open() {
    if (pipe(in) != 0)
      return false;
    if (pipe(out) != 0) {
      close(in[0]);
      close(in[1]);
      return false;
    }
    return true;
  }
  bool send(const std::string &s) {
    if (s.empty())
      return false;
    return write(in[1], s.data(), s.size()) == ssize_t(s.size());
  }
  void close_all() {
    for (int fd : {in[0], in[1], out[0], out[1]})
      close(fd);
  }
};

struct Pair2 {
  int a_rd, a_wr, b_rd, b_wr;
};

Pair2 make_two() {
  int a[2], b[2];
  if (pipe(a) != 0)
    return {-1, -1, -1, -1};
  if (pipe(b) != 0) {
    close(a[0]);
    close(a[1]);
    return {-1, -1, -1, -1};
  }
  return {a[0], a[1], b[0], b[1]};
}

bool talk(const std::string &msg) {
  ChildPipes c;
  if (!c.open())
    return false;
  if (!c.send(msg))
    return false;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'talk' leaks the write end 'c.in[1]' (and the read end 'c.in[0]') of the pipe and the write end 'c.out[1]' (and the read end 'c.out[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  c.close_all();
  return true;
}

bool two(const std::string &msg) {
  Pair2 p = make_two();
  if (p.a_rd < 0)
    return false;
  if (msg.empty()) {
    close(p.a_rd);
    close(p.a_wr);
    return false;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'two' leaks the write end 'p.b_wr' (and the read end 'p.b_rd') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  }
  close(p.a_rd);
  close(p.a_wr);
  close(p.b_rd);
  close(p.b_wr);
  return true;
}

// Near-misses.
bool talk_ok(const std::string &msg) {
  ChildPipes c;
  if (!c.open())
    return false;
  bool ok = c.send(msg);
  c.close_all();
  return ok;
}

bool two_ok(const std::string &msg) {
  Pair2 p = make_two();
  if (p.a_rd < 0)
    return false;
  for (int fd : {p.a_rd, p.a_wr, p.b_rd, p.b_wr})
    close(fd);
  return !msg.empty();
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "leaks") {
    for (int i = 0; i < 8; ++i) {
      talk("");
      two("");
    }
    return open_fds() - before != 8 * (4 + 2);
  }
  if (s == "closes") {
    for (int i = 0; i < 8; ++i) {
      talk("x");
      two("x");
      talk_ok("");
      two_ok("");
    }
    return open_fds() != before;
  }
  return 2;
}

// C++: a helper returns the pipe in a struct by value whose `ok` member is
// true on every success (both ends -1 and `ok` false on failure). A member
// function tells failure by `!p.ok`: nothing leaks there, no warning. Its
// next failure, after the pipe was made, leaks both ends: reported. The
// near miss closes them there.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <cstring>
#include <unistd.h>

#include "count-fds.h"

struct Pipe {
  int rd = -1;
  int wr = -1;
  bool ok = false;
};

static Pipe make_pipe()
{
  Pipe p;
  int f[2];
  if (pipe(f) != 0)
    return p;
  p.rd = f[0];
  p.wr = f[1];
  p.ok = true;
  return p;
}

class Channel {
public:
  ~Channel()
  {
    if (rd_ >= 0)
      close(rd_);
    if (wr_ >= 0)
      close(wr_);
  }

  bool open(int capacity)
  {
    Pipe p = make_pipe();
    if (!p.ok)
      return false;
    if (capacity <= 0)
      return false;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'open' leaks the write end 'p.wr' (and the read end 'p.rd') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-6]]:14: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    rd_ = p.rd;
    wr_ = p.wr;
    return true;
  }

  bool open_checked(int capacity)
  {
    Pipe p = make_pipe();
    if (!p.ok)
      return false;
    if (capacity <= 0) {
      close(p.rd);
      close(p.wr);
      return false;
    }
    rd_ = p.rd;
    wr_ = p.wr;
    return true;
  }

private:
  int rd_ = -1;
  int wr_ = -1;
};

int main(int argc, char **argv)
{
  bool leaks = argc > 1 && std::strcmp(argv[1], "leaks") == 0;
  Channel c;
  int before = open_fds();
  for (int i = 0; i < 3; i++)
    if (leaks ? c.open(0) : c.open_checked(0))
      return 2;
  int leaked = open_fds() - before;
  return leaked == (leaks ? 6 : 0) ? 0 : 3;
}

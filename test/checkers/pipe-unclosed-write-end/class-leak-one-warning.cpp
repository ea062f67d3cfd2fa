// A class whose constructor and whose reopen() method both leave a pipe in
// the same members, and which closes the write end nowhere (no destructor
// either): every object leaks it, by one omission with one fix (close it
// in a destructor). One warning, at the first pipe in the file, with a
// note at the other. A second class leaks two different members: two
// defects, two warnings. The near miss closes both in its destructor and
// before reopening.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <cstring>
#include <unistd.h>

#include "count-fds.h"

class Notifier {
public:
  Notifier()
  {
    if (pipe(fds_) != 0)
      fds_[0] = fds_[1] = -1;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: write end 'fds_[1]' of this pipe is kept in a member of 'Notifier' that no method of 'Notifier' closes, and 'Notifier' has no destructor: every 'Notifier' object leaks it; close 'fds_[1]' in a destructor [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+7]]:9: note: 'reopen' also leaves a pipe in 'fds_[1]' here
  }
  int read_end() const { return fds_[0]; }
  void reopen()
  {
    if (fds_[0] >= 0)
      close(fds_[0]);
    if (pipe(fds_) != 0)
      fds_[0] = fds_[1] = -1;
  }

private:
  int fds_[2];
};

class TwoChannels {
public:
  TwoChannels()
  {
    if (pipe(a_) != 0)
      a_[0] = a_[1] = -1;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: write end 'a_[1]' of this pipe is kept in a member of 'TwoChannels' that no method of 'TwoChannels' closes, and 'TwoChannels' has no destructor: every 'TwoChannels' object leaks it; close 'a_[1]' in a destructor [pipe-unclosed-write-end]
    if (pipe(b_) != 0)
      b_[0] = b_[1] = -1;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: write end 'b_[1]' of this pipe is kept in a member of 'TwoChannels' that no method of 'TwoChannels' closes, and 'TwoChannels' has no destructor: every 'TwoChannels' object leaks it; close 'b_[1]' in a destructor [pipe-unclosed-write-end]
  }
  int a() const { return a_[0]; }
  int b() const { return b_[0]; }

private:
  int a_[2];
  int b_[2];
};

class ClosingNotifier {
public:
  ClosingNotifier()
  {
    if (pipe(fds_) != 0)
      fds_[0] = fds_[1] = -1;
  }
  ~ClosingNotifier() { shut(); }
  void reopen()
  {
    shut();
    if (pipe(fds_) != 0)
      fds_[0] = fds_[1] = -1;
  }

private:
  void shut()
  {
    if (fds_[0] >= 0)
      close(fds_[0]);
    if (fds_[1] >= 0)
      close(fds_[1]);
  }
  int fds_[2];
};

int main(int argc, char **argv)
{
  bool leaks = argc > 1 && std::strcmp(argv[1], "leaks") == 0;
  int before = open_fds();
  if (leaks) {
    {
      Notifier n;
      for (int i = 0; i < 3; i++)
        n.reopen();
      TwoChannels t;
      (void)t.a();
    }
    // Notifier's four write ends and its last read end; both pipes of
    // TwoChannels.
    return open_fds() - before == 9 ? 0 : 3;
  }
  {
    ClosingNotifier n;
    for (int i = 0; i < 3; i++)
      n.reopen();
  }
  return open_fds() - before == 0 ? 0 : 3;
}

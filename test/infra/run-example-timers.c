// Runner self-test of run_example.py: a source that sets a timer is never
// proved deadlocked early, since the timer can still end a blocked call.
// This one blocks in a read that nothing else could end, but alarm() kills
// it after a second, so it does not hang.
//
// RUN: not %run_example %s blocked_until_alarm hang --timeout 4 > %t 2>&1
// RUN: FileCheck %s --input-file=%t
// CHECK: was expected to hang {{.*}}, but it was killed by SIGALRM
#include <unistd.h>

int main(void) {
  int fds[2];
  char c;
  if (pipe(fds))
    return 2;
  alarm(1);
  return (int)read(fds[0], &c, 1);
}

// Findings of pipe-self-copy in C++ where the pipe comes back from a helper
// in a std::array built in its return statement (`return {fds[0],
// fds[1]};`): a relay loop that reads `a[0]` and writes what it read back
// into `a[1]`, the same pipe. The finding's scenario never ends (the data
// goes round and round); the near-miss (the loop copies into another
// descriptor, the write end closed first) terminates and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t
// RUN: %run_example %s relay hang
// RUN: %run_example %s relay-ok exit

#include <array>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {

std::array<int, 2> make_pipe_array()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

ssize_t relay()
{
  std::array<int, 2> a = make_pipe_array();
  char buf[64];
  ssize_t n, total = 0;
  if (a[0] < 0)
    return -1;
  (void)write(a[1], "x", 1);
  while ((n = read(a[0], buf, sizeof buf)) > 0) {
    total += n;
    (void)write(a[1], buf, size_t(n));
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: this loop writes what it reads from 'a[0]' back into 'a[1]', the write end of the same pipe: {{.*}} [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'a[0]' is read here
    // CHECK-MESSAGES: :[[@LINE-11]]:26: note: pipe created here
  }
  close(a[0]);
  close(a[1]);
  return total;
}

ssize_t relay_ok()
{
  std::array<int, 2> a = make_pipe_array();
  char buf[64];
  ssize_t n, total = 0;
  if (a[0] < 0)
    return -1;
  int out = open("/dev/null", O_WRONLY);
  (void)write(a[1], "x", 1);
  close(a[1]);
  while ((n = read(a[0], buf, sizeof buf)) > 0) {
    total += n;
    (void)write(out, buf, size_t(n));
  }
  close(a[0]);
  close(out);
  return total;
}

} // namespace

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "relay") == 0)
    return relay() != 1;
  if (std::strcmp(s, "relay-ok") == 0)
    return relay_ok() != 1;
  return 2;
}

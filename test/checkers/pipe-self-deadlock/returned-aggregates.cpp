// Findings of pipe-self-deadlock in C++ where a helper returns both ends of
// a pipe by value in a std::pair, a std::tuple or a std::array built in the
// return statement, and the caller, holding the only write end, reads the
// pipe: a read that waits for data nobody writes, or a read loop to
// end-of-file while this process keeps the write end. Each finding's
// scenario hangs in the read. The near-misses (a reply written first, the
// write end closed before the loop) terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s pair-binding hang
// RUN: %run_example %s tuple-get hang
// RUN: %run_example %s array-loop hang
// RUN: %run_example %s written-first exit
// RUN: %run_example %s closed-first exit

#include <array>
#include <cstring>
#include <tuple>
#include <utility>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

std::pair<int, int> make_pipe_pair()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

std::tuple<int, int> make_pipe_tuple()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return std::make_tuple(fds[0], fds[1]);
}

std::array<int, 2> make_pipe_array()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

/* ---- findings ----------------------------------------------------------- */

int pair_binding()
{
  auto [rd, wr] = make_pipe_pair();
  char c;
  if (rd < 0)
    return -1;
  if (read(rd, &c, 1) != 1)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'rd' blocks forever: this thread holds the only write end 'wr' and has written nothing to it; {{.*}} [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-6]]:19: note: pipe created here
    c = 0;
  close(rd);
  close(wr);
  return c;
}

int tuple_get()
{
  std::tuple<int, int> t = make_pipe_tuple();
  char c;
  if (std::get<0>(t) < 0)
    return -1;
  if (read(std::get<0>(t), &c, 1) != 1)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'std::get<0>(t)' blocks forever: this thread holds the only write end 'std::get<1>(t)' and has written nothing to it; {{.*}} [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-6]]:28: note: pipe created here
    c = 0;
  close(std::get<0>(t));
  close(std::get<1>(t));
  return c;
}

ssize_t array_loop()
{
  std::array<int, 2> a = make_pipe_array();
  char buf[64];
  ssize_t n, total = 0;
  if (a[0] < 0)
    return -1;
  if (fork() == 0) {
    (void)write(a[1], "hello\n", 6);
    _exit(0);
  }
  while ((n = read(a[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'a[0]' until end-of-file never ends: this process still holds the write end 'a[1]', {{.*}} [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-11]]:26: note: pipe created here
    total += n;
  close(a[0]);
  close(a[1]);
  return total;
}

/* ---- near-misses -------------------------------------------------------- */

int written_first()
{
  auto [rd, wr] = make_pipe_tuple();
  char c;
  if (rd < 0)
    return -1;
  (void)write(wr, "x", 1);
  if (read(rd, &c, 1) != 1)
    c = 0;
  close(rd);
  close(wr);
  return c;
}

ssize_t closed_first()
{
  auto [rd, wr] = make_pipe_pair();
  char buf[64];
  ssize_t n, total = 0;
  if (rd < 0)
    return -1;
  if (fork() == 0) {
    (void)write(wr, "hello\n", 6);
    _exit(0);
  }
  close(wr);
  while ((n = read(rd, buf, sizeof buf)) > 0)
    total += n;
  close(rd);
  return total;
}

} // namespace

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "pair-binding") == 0)
    return pair_binding() < 0;
  if (strcmp(s, "tuple-get") == 0)
    return tuple_get() < 0;
  if (strcmp(s, "array-loop") == 0)
    return array_loop() != 6;
  if (strcmp(s, "written-first") == 0)
    return written_first() != 'x';
  if (strcmp(s, "closed-first") == 0)
    return closed_first() != 6;
  return 2;
}

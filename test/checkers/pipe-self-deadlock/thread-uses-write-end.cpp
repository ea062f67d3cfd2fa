// A write end given by value to a thread of this process that writes it and
// never closes it: the descriptor stays open (the thread's copy of the
// number is the same open file), so the reader's loop never sees
// end-of-file. Closing it in the reader before the loop would pull it from
// under the writing thread: the advice is to close it in the thread once it
// has written everything. A routine function and a lambda capturing the end
// by copy; the near-miss thread closes it and the read finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s routine hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s routine-closes exit

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

void produce(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
  // returns without close(out)
}

void produce_and_close(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
  close(out);
}

std::size_t collect_routine() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::thread t(produce, fds[1], 10);
  std::string all;
  char buf[128];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: the write end 'fds[1]' stays open, because the thread this function gave it to uses it and nothing closes it; close 'fds[1]' in that thread once it has written everything [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    all.append(buf, static_cast<std::size_t>(n));
  t.join();
  close(fds[0]);
  close(fds[1]);
  return all.size();
}

std::size_t collect_lambda() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::thread t([wr = fds[1]] {
    for (int i = 0; i < 10; ++i)
      dprintf(wr, "line %d\n", i);
  });
  std::size_t total = 0;
  char buf[128];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'fds[0]' until end-of-file never ends: the write end 'fds[1]' stays open, because the thread this function gave it to uses it and nothing closes it; close 'fds[1]' in that thread once it has written everything [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    total += static_cast<std::size_t>(n);
  t.join();
  close(fds[0]);
  close(fds[1]);
  return total;
}

std::size_t collect_routine_closes() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::thread t(produce_and_close, fds[1], 10);
  std::size_t total = 0;
  char buf[128];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += static_cast<std::size_t>(n);
  t.join();
  close(fds[0]);
  return total;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!std::strcmp(argv[1], "routine"))
    return collect_routine() > 0 ? 0 : 1;
  if (!std::strcmp(argv[1], "lambda"))
    return collect_lambda() > 0 ? 0 : 1;
  if (!std::strcmp(argv[1], "routine-closes"))
    return collect_routine_closes() == 70 ? 0 : 1;
  return 2;
}

// A write end given to a thread of this process that uses it and never
// closes it: the descriptor stays open (the thread's copy of the number is
// the same open file), so this function's loop reading the other end to
// end-of-file never ends. The defect is the write end nobody closes:
// pipe-unclosed-write-end reports it once, at the read where the program
// blocks (the function's exits after it are never reached), and
// pipe-self-deadlock stays silent (no thread here both reads and writes).
// Closing it in the reader before the loop would pull it from under the
// writing thread: the advice is to close it in the thread once it has
// written everything.
//
// The shapes: a free function, a lambda capturing the end by copy, a member
// function, a helper chain three deep, std::thread, std::jthread and
// std::async; the pipe made here, by a helper returning a pair, by one
// filling out-parameters, and kept in a struct. The near-misses: the routine
// closes the end on every path (silent, the read ends), and a routine that
// closes it on one path only (reported in the routine, on that path).
// pthread_create() with the end in a struct or behind an `int *`:
// thread-uses-write-end.c.
//
// std::jthread needs C++20.
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -- -std=c++20
// RUN: %run_example %s routine hang -- -std=c++20
// RUN: %run_example %s lambda hang -- -std=c++20
// RUN: %run_example %s jthread-pair hang -- -std=c++20
// RUN: %run_example %s async-depth3-outparam hang -- -std=c++20
// RUN: %run_example %s member hang -- -std=c++20
// RUN: %run_example %s struct-capture hang -- -std=c++20
// RUN: %run_example %s some-path hang -- -std=c++20
// RUN: %run_example %s routine-closes exit -- -std=c++20
// RUN: %run_example %s some-path-closes exit -- -std=c++20

#include <cstdio>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <utility>
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

// Closes the end unless told to stop early.
void produce_unless(int out, int count, bool early) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
  if (early)
    return;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'out' is closed on another path but still open when 'produce_unless' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: 'out' is closed here on another path
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(out);
}

// Three levels down to the write.
void emit(int fd, int i) { dprintf(fd, "item %d\n", i); }
void emit_all(int fd, int count) {
  for (int i = 0; i < count; ++i)
    emit(fd, i);
}
void produce_deep(int out, int count) { emit_all(out, count); }

std::size_t drain(int fd) {
  std::size_t total = 0;
  char buf[128];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += static_cast<std::size_t>(n);
  return total;
}

std::pair<int, int> make_pipe() {
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

bool open_pipe(int *rd, int *wr) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  *rd = fds[0];
  *wr = fds[1];
  return true;
}

class Producer {
public:
  explicit Producer(int count) : count_(count) {}
  void run(int out) {
    for (int i = 0; i < count_; ++i)
      dprintf(out, "member %d\n", i);
  }

private:
  int count_;
};

std::size_t collect_routine() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::thread t(produce, fds[1], 10);
  std::string all;
  char buf[128];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the thread running 'produce' writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: the thread running 'produce' starts here, given 'fds[1]'
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
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the thread running the lambda writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-10]]:15: note: the thread running the lambda starts here, given 'fds[1]'
    total += static_cast<std::size_t>(n);
  t.join();
  close(fds[0]);
  close(fds[1]);
  return total;
}

// The pair's write end is never closed here either: still one warning, at
// the read, not another at the return that is never reached.
std::size_t collect_jthread_pair() {
  auto [rd, wr] = make_pipe();
  if (rd < 0)
    return 0;
  std::jthread t(produce, wr, 10);
  std::size_t total = drain(rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the thread running 'produce' writes 'wr' and never closes it, so reading 'rd' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:16: note: the thread running 'produce' starts here, given 'wr'
  close(rd);
  return total;
}

std::size_t collect_async_depth3_outparam() {
  int rd, wr;
  if (!open_pipe(&rd, &wr))
    return 0;
  auto done = std::async(std::launch::async, produce_deep, wr, 10);
  std::size_t total = drain(rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the std::async task running 'produce_deep' writes 'wr' and never closes it, so reading 'rd' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the std::async task running 'produce_deep' starts here, given 'wr'
  done.get();
  close(rd);
  close(wr);
  return total;
}

std::size_t collect_member() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  Producer p(10);
  std::thread t(&Producer::run, &p, fds[1]);
  std::size_t total = drain(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the thread running 'run' writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running 'run' starts here, given 'fds[1]'
  t.join();
  close(fds[0]);
  close(fds[1]);
  return total;
}

struct Ends {
  int rd;
  int wr;
};

std::size_t collect_struct_capture() {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  Ends e{fds[0], fds[1]};
  Producer p(10);
  std::thread t([&p, w = e.wr] { p.run(w); });
  std::size_t total = drain(e.rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the thread running the lambda writes 'e.wr' and never closes it, so reading 'e.rd' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running the lambda starts here, given 'e.wr'
  t.join();
  close(e.rd);
  close(e.wr);
  return total;
}

// The routine closes the end on one path only: reported there, in the
// routine; here the end is the routine's.
std::size_t collect_some_path(bool early) {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  std::thread t(produce_unless, fds[1], 10, early);
  std::size_t total = drain(fds[0]);
  t.join();
  close(fds[0]);
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
  std::string s = argv[1];
  if (s == "routine")
    return collect_routine() > 0 ? 0 : 1;
  if (s == "lambda")
    return collect_lambda() > 0 ? 0 : 1;
  if (s == "jthread-pair")
    return collect_jthread_pair() > 0 ? 0 : 1;
  if (s == "async-depth3-outparam")
    return collect_async_depth3_outparam() > 0 ? 0 : 1;
  if (s == "member")
    return collect_member() > 0 ? 0 : 1;
  if (s == "struct-capture")
    return collect_struct_capture() > 0 ? 0 : 1;
  if (s == "some-path")
    return collect_some_path(true) > 0 ? 0 : 1;
  if (s == "some-path-closes")
    return collect_some_path(false) == 70 ? 0 : 1;
  if (s == "routine-closes")
    return collect_routine_closes() == 70 ? 0 : 1;
  return 2;
}

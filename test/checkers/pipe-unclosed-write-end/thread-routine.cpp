// A write end handed by value to a thread or async task whose routine only
// writes it: the routine's copy of the number is the same open descriptor,
// nobody closes it, and the reader of the other end never sees end-of-file.
// The routine is a free function, a function that writes through a helper
// (depth 2), a lambda capturing the end by copy, and std::async's function.
// Every scenario reads the pipe to its end, which never comes: the warning
// is at that read, where the program blocks (the return after it is never
// reached, and is not reported again).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s function hang
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s async hang

#include <cstdio>
#include <future>
#include <string>
#include <thread>

#include <unistd.h>

// Reads fd until end-of-file.
static std::string slurp(int fd) {
  std::string data;
  char buf[128];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    data.append(buf, static_cast<size_t>(n));
  return data;
}

// The writer thread's routine: writes its lines, never closes out.
static void produce(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
}

static void emit_line(int fd, int i) { dprintf(fd, "item %d\n", i); }

// Writes through a helper; neither closes the descriptor.
static void produce_via_helper(int out, int count) {
  for (int i = 0; i < count; ++i)
    emit_line(out, i);
}

static int by_function() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  std::thread t(produce, fds[1], 4);
  std::string all = slurp(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the thread running 'produce' writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running 'produce' starts here, given 'fds[1]'
  t.join();
  close(fds[0]);
  return all.empty();
}

static int by_helper_routine() {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  std::thread writer(produce_via_helper, p[1], 3);
  std::string all = slurp(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the thread running 'produce_via_helper' writes 'p[1]' and never closes it, so reading 'p[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running 'produce_via_helper' starts here, given 'p[1]'
  writer.join();
  close(p[0]);
  return all.empty();
}

static int by_lambda() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  int wr = fds[1];
  std::thread t([wr] {
    for (int i = 0; i < 3; ++i)
      dprintf(wr, "x\n");
  });
  std::string all = slurp(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the thread running the lambda writes 'wr' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: the thread running the lambda starts here, given 'wr'
  t.join();
  close(fds[0]);
  return all.empty();
}

struct Collected {
  std::string text;
  bool ok = false;
};

static Collected by_async() {
  Collected c;
  int fds[2];
  if (pipe(fds) < 0)
    return c;
  auto done = std::async(std::launch::async, produce, fds[1], 2);
  c.text = slurp(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the std::async task running 'produce' writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the std::async task running 'produce' starts here, given 'fds[1]'
  done.get();
  close(fds[0]);
  c.ok = true;
  return c;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "function")
    return by_function();
  if (s == "depth2")
    return by_helper_routine();
  if (s == "lambda")
    return by_lambda();
  if (s == "async")
    return by_async().ok ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// Write ends handed by value to a thread or async task, and closed: by the
// routine on every path, by the routine on its own duplicate while the
// caller closes the original, or by the caller after joining a routine that
// only writes. A routine the check cannot see (a function pointer variable)
// is handed the end off. pipe-unclosed-write-end must stay silent, and every
// scenario terminates: the reader sees end-of-file.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s routine-closes exit
// RUN: %run_example %s lambda-closes exit
// RUN: %run_example %s dup exit
// RUN: %run_example %s caller-closes exit
// RUN: %run_example %s async-closes exit
// RUN: %run_example %s pointer exit

#include <cstdio>
#include <future>
#include <string>
#include <thread>

#include <unistd.h>

static std::string slurp(int fd) {
  std::string data;
  char buf[128];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    data.append(buf, static_cast<size_t>(n));
  return data;
}

// Writes its lines and closes the end it owns, on every path.
static void produce_and_close(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
  close(out);
}

// Only writes: whoever gave it the end closes it.
static void produce(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
}

static int routine_closes() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  std::thread t(produce_and_close, fds[1], 3);
  std::string all = slurp(fds[0]);
  t.join();
  close(fds[0]);
  return all.empty();
}

static int lambda_closes() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  int wr = fds[1];
  std::thread t([wr] {
    dprintf(wr, "x\n");
    close(wr);
  });
  std::string all = slurp(fds[0]);
  t.join();
  close(fds[0]);
  return all.empty();
}

// The routine owns a duplicate; the caller closes the original.
static int dup_each_closes() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  std::thread t(produce_and_close, dup(fds[1]), 2);
  close(fds[1]);
  std::string all = slurp(fds[0]);
  t.join();
  close(fds[0]);
  return all.empty();
}

// The routine only writes (a few bytes: the pipe holds them); the caller
// closes the end after the join, then reads.
static int caller_closes() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  std::thread t(produce, fds[1], 2);
  t.join();
  close(fds[1]);
  std::string all = slurp(fds[0]);
  close(fds[0]);
  return all.empty();
}

static int async_closes() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  auto done = std::async(std::launch::async, produce_and_close, fds[1], 2);
  std::string all = slurp(fds[0]);
  done.get();
  close(fds[0]);
  return all.empty();
}

// A routine chosen at run time: not ours to judge.
static int through_pointer(bool closing) {
  void (*routine)(int, int) = closing ? produce_and_close : produce;
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  std::thread t(routine, fds[1], 2);
  std::string all = slurp(fds[0]);
  t.join();
  close(fds[0]);
  return all.empty();
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "routine-closes")
    return routine_closes();
  if (s == "lambda-closes")
    return lambda_closes();
  if (s == "dup")
    return dup_each_closes();
  if (s == "caller-closes")
    return caller_closes();
  if (s == "async-closes")
    return async_closes();
  if (s == "pointer")
    return through_pointer(true);
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

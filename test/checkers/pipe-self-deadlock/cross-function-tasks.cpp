// pipe-self-deadlock in C++: a join of a thread that reads the pipe until
// end-of-file while this thread still holds the write end. The thread
// function's own body reads to the end (`consume(fd)`); the thread is kept
// in a variable or in a member of a local struct and joined directly or by
// a helper that takes the struct by reference. The near-misses close the
// write end before the join and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s join-reader hang
// RUN: %run_example %s member-helper-join hang
// RUN: %run_example %s join-reader-closed exit
// RUN: %run_example %s member-helper-join-closed exit

#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

struct Worker {
  std::thread t;
  long got = -1;
};

// Reads fd until end-of-file; the byte count goes to *out.
static void consume(int fd, long *out) {
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  *out = total;
}

static void stop(Worker &w) { w.t.join(); }

// Hands a message to a reader thread and waits for it to count it.
long hand_over(bool close_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  long got = -1;
  std::thread reader(consume, fds[0], &got);
  (void)write(fds[1], "hello", 5);
  if (close_first)
    close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: std::thread 'reader' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: std::thread 'reader' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the false branch
  reader.join();
  if (!close_first)
    close(fds[1]);
  close(fds[0]);
  return got;
}

// The same with the thread in a worker record, stopped by a helper.
long hand_over_worker(bool close_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Worker w;
  w.t = std::thread(consume, fds[0], &w.got);
  (void)write(fds[1], "hello", 5);
  if (close_first)
    close(fds[1]);
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: std::thread 'w.t' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so std::thread 'w.t' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:9: note: std::thread 'w.t' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the false branch
  stop(w);
  if (!close_first)
    close(fds[1]);
  close(fds[0]);
  return w.got;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "join-reader")
    return hand_over(false) != 5;
  if (s == "join-reader-closed")
    return hand_over(true) != 5;
  if (s == "member-helper-join")
    return hand_over_worker(false) != 5;
  if (s == "member-helper-join-closed")
    return hand_over_worker(true) != 5;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

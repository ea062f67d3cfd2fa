// pipe-self-copy where an object is constructed with both ends of one pipe
// and a method of it copies from one member into the other: called
// directly (`r.run()`) or as a thread's function (`std::thread
// t(&Relay::run, &r)`). The constructor only keeps its arguments, so the
// members hold the very descriptors the caller made. The copy reads what
// it wrote back, and once the pipe is empty its read waits for a write end
// this process holds: each scenario hangs.
//
// The near miss constructs the relay with two different pipes, and
// finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t
// RUN: %run_example %s direct hang
// RUN: %run_example %s thread hang
// RUN: %run_example %s two-pipes exit

#include <string>
#include <thread>
#include <unistd.h>

class Relay {
public:
  Relay(int from, int to) : from_(from), to_(to) {}
  void run() {
    char buf[512];
    ssize_t n;
    while ((n = ::read(from_, buf, sizeof buf)) > 0)
      if (::write(to_, buf, size_t(n)) != n)
        break;
    ::close(to_);
  }

private:
  int from_, to_;
};

static int direct() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  (void)!::write(p[1], "x", 1);
  Relay r(p[0], p[1]);
  r.run();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'run' copies what it reads from 'r.from_' into 'r.to_', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'r.to_'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-17]]:11: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  ::close(p[0]);
  return 0;
}

static int thread() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  (void)!::write(p[1], "x", 1);
  Relay r(p[0], p[1]);
  std::thread t(&Relay::run, &r);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running 'run' copies what it reads from 'r.from_' into 'r.to_', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'r.to_'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-31]]:11: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  t.join();
  ::close(p[0]);
  return 0;
}

// Near miss: from one pipe into another.
static int two_pipes() {
  int a[2], b[2];
  if (::pipe(a) < 0)
    return 1;
  if (::pipe(b) < 0) {
    ::close(a[0]);
    ::close(a[1]);
    return 1;
  }
  (void)!::write(a[1], "hello", 5);
  ::close(a[1]);
  Relay r(a[0], b[1]);
  std::thread t(&Relay::run, &r);
  char buf[16];
  ssize_t got = 0, n;
  while ((n = ::read(b[0], buf + got, sizeof buf - size_t(got))) > 0)
    got += n;
  t.join();
  ::close(a[0]);
  ::close(b[0]);
  return got == 5 ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "direct")
    return direct();
  if (s == "thread")
    return thread();
  if (s == "two-pipes")
    return two_pipes();
  return 2;
}

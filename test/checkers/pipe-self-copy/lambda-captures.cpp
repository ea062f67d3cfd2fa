// pipe-self-copy where a thread's lambda copies between descriptors it
// captured by copy: every capture (`[=]`), the two ends named (`[rd, wr]`),
// init-captures (`[from = p[0], to = p[1]]`), and a std::async task. A
// capture by copy copies the descriptor numbers, not the descriptors: the
// lambda's `p[1]` is this process's write end. The copy loop reads what it
// wrote back, and once the pipe is empty its read waits for a write end the
// process itself holds: each scenario hangs, with one warning (the join and
// the ends left open behind it are the same defect).
//
// The near miss captures two pipes by copy and copies one into the other;
// it finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t
// RUN: %run_example %s all-by-copy hang
// RUN: %run_example %s named hang
// RUN: %run_example %s init-capture hang
// RUN: %run_example %s async hang
// RUN: %run_example %s two-pipes exit

#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <unistd.h>

static void pump(int from, int to) {
  char buf[512];
  ssize_t n;
  while ((n = ::read(from, buf, sizeof buf)) > 0)
    if (::write(to, buf, size_t(n)) != n)
      break;
}

static int all_by_copy() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  std::thread t([=] { pump(p[0], p[1]); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running its lambda copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-10]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  t.join();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static int named() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  int rd = p[0], wr = p[1];
  std::thread t([rd, wr] { pump(rd, wr); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running its lambda copies what it reads from 'rd' into 'wr', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'wr'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-25]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  t.join();
  ::close(rd);
  ::close(wr);
  return 0;
}

static int init_capture() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  std::thread t([from = p[0], to = p[1]] { pump(from, to); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running its lambda copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-39]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  t.join();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static int async_task() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  auto done = std::async(std::launch::async, [=] { pump(p[0], p[1]); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the future 'done' of std::async running its lambda copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; the thread never ends, and waiting for its future never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-53]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  done.get();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

// Near miss: from one pipe into another; the thread closes its target.
static int two_pipes() {
  int a[2], b[2];
  if (::pipe(a) < 0)
    return 1;
  if (::pipe(b) < 0) {
    ::close(a[0]);
    ::close(a[1]);
    return 1;
  }
  std::thread t([=] {
    pump(a[0], b[1]);
    ::close(b[1]);
  });
  bool ok = ::write(a[1], "hello", 5) == 5;
  ::close(a[1]);
  char buf[64];
  ssize_t got = 0, n;
  while ((n = ::read(b[0], buf + got, sizeof buf - size_t(got))) > 0)
    got += n;
  t.join();
  ::close(a[0]);
  ::close(b[0]);
  return ok && got == 5 && std::memcmp(buf, "hello", 5) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "all-by-copy")
    return all_by_copy();
  if (s == "named")
    return named();
  if (s == "init-capture")
    return init_capture();
  if (s == "async")
    return async_task();
  if (s == "two-pipes")
    return two_pipes();
  return 2;
}

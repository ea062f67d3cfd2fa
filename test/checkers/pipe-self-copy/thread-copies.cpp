// pipe-self-copy where the copy runs in a thread started with both ends of
// one pipe: a std::thread given the two ends as arguments, a std::thread
// running a lambda that captures the pair by reference, a pthread given a
// struct holding both ends, and a lambda kept in a local and called with
// the captured pair. The thread's copy loop reads from the pipe it writes;
// nobody else writes, so its read blocks forever and the join never
// returns: each scenario hangs. One warning each: the thread's join and
// the ends left open behind it are the same defect.
//
// The near miss copies one pipe into another and finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t
// RUN: %run_example %s thread-args hang
// RUN: %run_example %s thread-lambda hang
// RUN: %run_example %s pthread-struct hang
// RUN: %run_example %s called-lambda hang
// RUN: %run_example %s two-pipes exit

#include <cstring>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>

static void copy_loop(int from, int to) {
  char buf[512];
  ssize_t n;
  while ((n = ::read(from, buf, sizeof buf)) > 0)
    if (::write(to, buf, size_t(n)) != n)
      break;
}

struct Relay {
  int from, to;
};

static void *relay_main(void *arg) {
  Relay *r = static_cast<Relay *>(arg);
  copy_loop(r->from, r->to);
  return nullptr;
}

static int thread_args() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  std::thread t(copy_loop, p[0], p[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running 'copy_loop' copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-20]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  t.join();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static int thread_lambda() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  std::thread t([&] { copy_loop(p[0], p[1]); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: std::thread 't' running its lambda copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-34]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  t.join();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static int pthread_struct() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  Relay r{p[0], p[1]};
  pthread_t t;
  if (pthread_create(&t, nullptr, relay_main, &r) != 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: thread 't' running 'relay_main' copies what it reads from 'r.from' into 'r.to', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'r.to'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-50]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    return 1;
  pthread_join(t, nullptr);
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static int called_lambda() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  auto pump = [&] { copy_loop(p[0], p[1]); };
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'copy_loop' copies what it reads from 'p[0]' into 'p[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'p[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-65]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE+2]]:3: note: both ends of the pipe reach it through this call of 'pump'
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  pump();
  ::close(p[0]);
  ::close(p[1]);
  return 0;
}

static void copy_and_close(int from, int to) {
  copy_loop(from, to);
  ::close(to);
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
  std::thread t(copy_and_close, a[0], b[1]);
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
  if (s == "thread-args")
    return thread_args();
  if (s == "thread-lambda")
    return thread_lambda();
  if (s == "pthread-struct")
    return pthread_struct();
  if (s == "called-lambda")
    return called_lambda();
  if (s == "two-pipes")
    return two_pipes();
  return 2;
}

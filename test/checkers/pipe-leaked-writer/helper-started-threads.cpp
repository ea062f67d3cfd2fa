// pipe-leaked-writer in C++ when a start helper makes the pipe, starts the
// writer (a std::thread, std::jthread or std::async future kept in a member
// of the caller's struct, by reference or by pointer, or a class's start()
// method keeping it in a data member) and gives it the write end, leaving
// the caller the read end. The writer writes 1 MiB, more than the 64 KiB a
// pipe holds, and closes its end; the caller reads a 4-byte header and
// gives up: a join or wait before the read end is closed (directly, in a
// stop helper, or in the class's stop()) hangs, and a joinable std::thread
// destroyed with the struct calls std::terminate. A stop helper or method
// that joins and only then closes is reported at its join, where the order
// is to be fixed, with a note at the caller's call. The "-ok" scenarios take
// the normal path and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s thread-stop-joins-first hang -- -std=c++20
// RUN: %run_example %s thread-stop-joins-first-ok exit -- -std=c++20
// RUN: %run_example %s thread-destroyed-joinable abort -- -std=c++20
// RUN: %run_example %s jthread-joined-first hang -- -std=c++20
// RUN: %run_example %s future-waited-first hang -- -std=c++20
// RUN: %run_example %s class-stop-joins-first hang -- -std=c++20
// RUN: %run_example %s class-stop-joins-first-ok exit -- -std=c++20

#include <csignal>
#include <cstdio>
#include <cstring>
#include <future>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static void produce(int fd, char first) {
  write_filled(fd, first, 'p', MIB);
  close(fd);
}

static bool header_ok(int fd, char want) {
  char hdr[4];
  return read_full(fd, hdr, sizeof hdr) == sizeof hdr && hdr[0] == want;
}

struct Pump {
  std::thread t;
  int rd = -1;
};

// Makes the pipe and starts the writer into p; false when nothing started.
static bool start_pump(Pump &p, char first) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p.rd = fds[0];
  p.t = std::thread(produce, fds[1], first);
  return true;
}

// Joins, and only then closes the read end.
static void stop_pump(Pump &p) {
  p.t.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'stop_pump' joins std::thread 'p.t' here, before it closes the read end 'p.rd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'stop_pump' never returns; close 'p.rd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: 'p.rd' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+9]]:8: note: std::thread 'p.t' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+8]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+10]]:5: note: 'stop_pump' is called here while std::thread 'p.t' may still be writing and 'p.rd' is no longer read, though not at end-of-file
  // CHECK-MESSAGES: :[[@LINE+8]]:7: note: taking the true branch
  close(p.rd);
}

int thread_stop_joins_first(char want) {
  Pump p;
  if (!start_pump(p, 'T'))
    return -1;
  if (!header_ok(p.rd, want)) {
    stop_pump(p);
    return -1;
  }
  long n = drain(p.rd);
  stop_pump(p);
  return n == (long)MIB - 4 ? 0 : -1;
}

int thread_destroyed_joinable(void) {
  Pump p;
  if (!start_pump(p, 'T'))
    return -1;
  if (!header_ok(p.rd, 'Z'))
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 'p.t' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:8: note: std::thread 'p.t' starts here
    // CHECK-MESSAGES: :[[@LINE-6]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  close(p.rd);
  p.t.join();
  return 0;
}

struct JPump {
  std::jthread t;
  int rd = -1;
};

// The same with a std::jthread, through a pointer.
static bool start_jpump(JPump *p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p->rd = fds[0];
  p->t = std::jthread(produce, fds[1], 'J');
  return true;
}

int jthread_joined_first(void) {
  JPump p;
  if (!start_jpump(&p))
    return -1;
  if (!header_ok(p.rd, 'Z')) {
    p.t.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::jthread 'p.t' is joined here while the read end 'p.rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p.rd' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:8: note: std::jthread 'p.t' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-6]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(p.rd);
    return -1;
  }
  close(p.rd);
  return 0;
}

struct FPump {
  std::future<void> f;
  int rd = -1;
};

// The same with a std::async future.
static bool start_fpump(FPump &p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p.rd = fds[0];
  p.f = std::async(std::launch::async, produce, fds[1], 'F');
  return true;
}

int future_waited_first(void) {
  FPump p;
  if (!start_fpump(p))
    return -1;
  if (!header_ok(p.rd, 'Z')) {
    p.f.wait();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the future 'p.f' of std::async is waited for here while the read end 'p.rd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p.rd' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-5]]:8: note: the future 'p.f' of std::async starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-6]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(p.rd);
    return -1;
  }
  close(p.rd);
  p.f.wait();
  return 0;
}

// A class whose start() makes the pipe and the writer, and whose stop()
// joins before it closes the read end.
class Exporter {
public:
  bool start() {
    int fds[2];
    if (pipe(fds) != 0)
      return false;
    rd = fds[0];
    t_ = std::thread(produce, fds[1], 'E');
    return true;
  }
  void stop() {
    t_.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stop' joins std::thread 'e.t_' here, before it closes the read end 'rd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'stop' never returns; close 'rd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE+5]]:5: note: 'rd' is closed only here, after the join
    // CHECK-MESSAGES: :[[@LINE+14]]:8: note: std::thread 'e.t_' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE+13]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+15]]:5: note: 'stop' is called here while std::thread 'e.t_' may still be writing and 'e.rd' is no longer read, though not at end-of-file
    // CHECK-MESSAGES: :[[@LINE+13]]:7: note: taking the true branch
    close(rd);
  }
  int rd = -1;

private:
  std::thread t_;
};

int class_stop_joins_first(char want) {
  Exporter e;
  if (!e.start())
    return -1;
  if (!header_ok(e.rd, want)) {
    e.stop();
    return -1;
  }
  long n = drain(e.rd);
  e.stop();
  return n == (long)MIB - 4 ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  // A write to a pipe whose read end is closed fails with EPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  if (!strcmp(s, "thread-stop-joins-first"))
    return thread_stop_joins_first('Z') != -1;
  if (!strcmp(s, "thread-stop-joins-first-ok"))
    return thread_stop_joins_first('T') != 0;
  if (!strcmp(s, "thread-destroyed-joinable"))
    return thread_destroyed_joinable() != -1;
  if (!strcmp(s, "jthread-joined-first"))
    return jthread_joined_first() != -1;
  if (!strcmp(s, "future-waited-first"))
    return future_waited_first() != -1;
  if (!strcmp(s, "class-stop-joins-first"))
    return class_stop_joins_first('Z') != -1;
  if (!strcmp(s, "class-stop-joins-first-ok"))
    return class_stop_joins_first('E') != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

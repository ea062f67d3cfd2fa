// pipe-unclosed-write-end for a thread's function that closes the write
// end it was given when it runs to its end, but returns earlier without
// closing it (C++): a free function and a static member function given the
// descriptor by value, and a free function given a struct by pointer. The
// reader reads to end-of-file before it joins, and blocks forever on that
// path. (A descriptor given by value is the routine's own parameter, which
// its own analysis reports; the start only keeps the starter silent.)
//
// Near misses, each run: the same functions closing on every path (one
// with a scope guard object), and a function that only uses the end (its
// starter closes it after the join).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s by-value hang
// RUN: %run_example %s static-member hang
// RUN: %run_example %s struct-pointer hang
// RUN: %run_example %s by-value-fixed exit
// RUN: %run_example %s guard-fixed exit
// RUN: %run_example %s only-uses exit

#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

static std::string drain(int fd) {
  std::string out;
  char buf[64];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  return out;
}

static void produce(int wr, int lines) {
  for (int i = 0; i < lines; i++) {
    if (i == 2)
      return; // a record it refuses
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'wr' is closed on another path but still open when 'produce' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE+5]]:3: note: 'wr' is closed here on another path
      // CHECK-MESSAGES: :[[@LINE-5]]:19: note: the loop condition is true: entering the loop body
    if (write(wr, "line\n", 5) != 5)
      break;
  }
  close(wr);
}

static void produce_fixed(int wr, int lines) {
  for (int i = 0; i < lines; i++) {
    if (i == 2)
      break;
    if (write(wr, "line\n", 5) != 5)
      break;
  }
  close(wr);
}

struct CloseOnExit {
  int fd;
  ~CloseOnExit() { close(fd); }
};

static void produce_guarded(int wr, int lines) {
  CloseOnExit guard{wr};
  for (int i = 0; i < lines; i++) {
    if (i == 2)
      return;
    if (write(wr, "line\n", 5) != 5)
      return;
  }
}

static void only_uses(int wr) { write(wr, "x", 1); }

static int by_value(void (*fn)(int, int)) {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  std::thread t(produce, fds[1], 5);
  std::string got = drain(fds[0]);
  t.join();
  close(fds[0]);
  (void)fn;
  return got.size() == 10 ? 0 : 1;
}

static int by_value_fixed() {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  std::thread t(produce_fixed, fds[1], 5);
  std::string got = drain(fds[0]);
  t.join();
  close(fds[0]);
  return got.size() == 10 ? 0 : 1;
}

static int guard_fixed() {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  std::thread t(produce_guarded, fds[1], 5);
  std::string got = drain(fds[0]);
  t.join();
  close(fds[0]);
  return got.size() == 10 ? 0 : 1;
}

static int only_uses_end() {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  std::thread t(only_uses, fds[1]);
  t.join();
  close(fds[1]);
  std::string got = drain(fds[0]);
  close(fds[0]);
  return got == "x" ? 0 : 1;
}

class Exporter {
public:
  static void emit(int wr, const char *row) {
    if (std::strchr(row, ','))
      return; // cannot quote it
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'wr' is closed on another path but still open when 'emit' returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE+3]]:5: note: 'wr' is closed here on another path
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    write(wr, row, std::strlen(row));
    close(wr);
  }

  int exportRow(const char *row) {
    int fds[2];
    if (pipe(fds) != 0)
      return 1;
    std::thread t(emit, fds[1], row);
    std::string got = drain(fds[0]);
    t.join();
    close(fds[0]);
    return got.empty() ? 0 : 1;
  }
};

struct Feed {
  int rd = -1, wr = -1;
  int rows = 0;
  bool failed = false;
};

static void feed(Feed *f) {
  for (int i = 0; i < f->rows; i++) {
    if (i == 1) {
      f->failed = true;
      return; // a bad row
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'feed' returns here without closing 'f->wr', the write end its thread was given, 'f.wr' of its starter, which it closes when it runs to its end; readers of the pipe never see end-of-file; close 'f->wr' before this return [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE+12]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE+16]]:15: note: the thread is started here and given 'f.wr'
      // CHECK-MESSAGES: :[[@LINE-7]]:19: note: taking the true branch
    }
    write(f->wr, "row\n", 4);
  }
  close(f->wr);
}

static int struct_pointer() {
  Feed f;
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  f.rd = fds[0];
  f.wr = fds[1];
  f.rows = 3;
  std::thread t(feed, &f);
  std::string got = drain(f.rd);
  t.join();
  close(f.rd);
  return f.failed ? 1 : 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "by-value")
    return by_value(nullptr);
  if (s == "static-member")
    return Exporter().exportRow("Hopper, Grace");
  if (s == "struct-pointer")
    return struct_pointer();
  if (s == "by-value-fixed")
    return by_value_fixed();
  if (s == "guard-fixed")
    return guard_fixed();
  if (s == "only-uses")
    return only_uses_end();
  return 64;
}

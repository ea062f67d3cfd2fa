// pipe-self-deadlock at the join of a thread whose lambda reads the pipe
// to end-of-file while this thread still holds the write end: the lambda
// reads a variable it captures by reference (itself, or through a helper
// it calls; an array element or a struct member, the struct's other members
// staying this thread's), or the descriptor it is given as a parameter; the
// write end is
// a plain variable, one a wrapper object owns (the fix ends the object's
// scope), or one a wrapper's move assignment dropped without closing it
// (the note names the assignment). The thread never sees end-of-file, so
// the join never returns: each hangs.
//
// Near misses: the write end closed before the join, a lambda that reads
// a fixed amount, one that reads another pipe, and one that writes and
// closes the write end of the struct it captures while this thread reads
// the other member. Each finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s captured hang
// RUN: %run_example %s captured-helper hang
// RUN: %run_example %s parameter hang
// RUN: %run_example %s owned-writer hang
// RUN: %run_example %s dropped-writer hang
// RUN: %run_example %s captured-struct hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s fixed-read exit
// RUN: %run_example %s other-pipe exit
// RUN: %run_example %s struct-writer exit

#include <string>
#include <thread>
#include <unistd.h>
#include <utility>

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd &operator=(Fd &&o) noexcept {
    fd_ = o.release(); // forgets to close fd_
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

private:
  int fd_ = -1;
};

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

long captured() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  long n = 0;
  std::thread reader([&] {
    char c;
    while (::read(p[0], &c, 1) > 0)
      ++n;
  });
  (void)!::write(p[1], "abc", 3);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  ::close(p[1]);
  ::close(p[0]);
  return n;
}

long captured_helper() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  long n = 0;
  std::thread reader([&] { n = drain(p[0]); });
  (void)!::write(p[1], "abc", 3);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  ::close(p[1]);
  ::close(p[0]);
  return n;
}

long parameter() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  std::thread reader([](int fd) { drain(fd); }, p[0]);
  (void)!::write(p[1], "abc", 3);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  ::close(p[1]);
  ::close(p[0]);
  return 3;
}

long owned_writer() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  Fd in(p[0]);
  Fd out(p[1]);
  long n = 0;
  std::thread reader([&] { n = drain(in.get()); });
  (void)!::write(out.get(), "abc", 3);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; end the scope of 'out', which closes it, before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:6: note: 'out' owns the write end from here and closes it only when it is destroyed
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  return n;
}

long dropped_writer() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  Fd in(p[0]);
  Fd out(p[1]);
  long n = 0;
  std::thread reader([&] { n = drain(in.get()); });
  (void)!::write(out.get(), "abc", 3);
  out = Fd(q[1]); // meant to close p[1]
  ::close(q[0]);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: 'Fd::operator=' overwrites the write end 'p[1]' here without closing it; close what it replaces in 'Fd::operator='
  // CHECK-MESSAGES: :[[@LINE-7]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  return n;
}

struct Pipe {
  int rd, wr;
};

long captured_struct() {
  int f[2];
  if (::pipe(f) < 0)
    return -1;
  Pipe pp = {f[0], f[1]};
  long n = 0;
  std::thread reader([&pp, &n] { n = drain(pp.rd); });
  (void)!::write(pp.wr, "abc", 3);
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'pp.rd' until end-of-file while this thread still holds the write end 'pp.wr': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'pp.wr' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: std::thread 'reader' starts here; it reads 'pp.rd' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here; its write end 'pp.wr' is still open at the join
  ::close(pp.wr);
  ::close(pp.rd);
  return n;
}

// Near misses.

long struct_writer() {
  int f[2];
  if (::pipe(f) < 0)
    return -1;
  Pipe pp = {f[0], f[1]};
  std::thread writer([&pp] {
    (void)!::write(pp.wr, "abc", 3);
    ::close(pp.wr);
  });
  long n = drain(pp.rd);
  writer.join();
  ::close(pp.rd);
  return n;
}

long closed_first() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  long n = 0;
  std::thread reader([&] { n = drain(p[0]); });
  (void)!::write(p[1], "abc", 3);
  ::close(p[1]);
  reader.join();
  ::close(p[0]);
  return n;
}

long fixed_read() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  char buf[3];
  long n = 0;
  std::thread reader([&] { n = ::read(p[0], buf, sizeof buf); });
  (void)!::write(p[1], "abc", 3);
  reader.join();
  ::close(p[1]);
  ::close(p[0]);
  return n;
}

long other_pipe() {
  int p[2], q[2];
  if (::pipe(p) < 0)
    return -1;
  if (::pipe(q) < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  long n = 0;
  std::thread reader([&] { n = drain(q[0]); });
  (void)!::write(q[1], "abc", 3);
  ::close(q[1]);
  reader.join();
  ::close(q[0]);
  ::close(p[0]);
  ::close(p[1]);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  long n = -1;
  if (s == "captured")
    n = captured();
  else if (s == "captured-helper")
    n = captured_helper();
  else if (s == "parameter")
    n = parameter();
  else if (s == "owned-writer")
    n = owned_writer();
  else if (s == "dropped-writer")
    n = dropped_writer();
  else if (s == "captured-struct")
    n = captured_struct();
  else if (s == "struct-writer")
    n = struct_writer();
  else if (s == "closed-first")
    n = closed_first();
  else if (s == "fixed-read")
    n = fixed_read();
  else if (s == "other-pipe")
    n = other_pipe();
  else
    return 2;
  return n == 3 ? 0 : 1;
}

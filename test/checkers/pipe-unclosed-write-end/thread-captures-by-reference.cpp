// A thread's lambda that captures the pipe by reference (`[&]`, `[&pp]`, or
// `[this]` with the pipe in a member of the object: `p_[1]`) and only
// writes the write end, directly or through a helper (or, for `[this]`, a
// method of the object that only uses the member), never closes
// it: this function's read of the other end to end-of-file blocks for
// ever. Judged as a copy captured by value is: the end stays this
// function's, open, used by the thread. Before, a by-reference capture gave
// the end away and nothing was said. The near misses close the end in the
// thread, or read only what was written; they finish.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s array-capture hang
// RUN: %run_example %s struct-capture hang
// RUN: %run_example %s thread-closes exit
// RUN: %run_example %s counted-read exit
// RUN: %run_example %s member-capture hang
// RUN: %run_example %s member-thread-closes exit
// RUN: %run_example %s member-via-method hang
// RUN: %run_example %s member-method-closes exit

#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

struct Pipe {
  int rd = -1;
  int wr = -1;
};

bool send(int fd, const char *s) {
  size_t len = std::strlen(s);
  return write(fd, s, len) == ssize_t(len);
}

std::string drain(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  return out;
}

std::string arrayCapture() {
  int p[2];
  if (pipe(p) < 0)
    return "";
  std::thread t([&] { write(p[1], "hello", 5); });
  std::string got = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the thread running the lambda writes 'p[1]' and never closes it, so reading 'p[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running the lambda starts here, given 'p[1]'
  t.join();
  close(p[0]);
  close(p[1]);
  return got;
}

std::string structCapture() {
  int fds[2];
  if (pipe(fds) < 0)
    return "";
  Pipe pp;
  pp.rd = fds[0];
  pp.wr = fds[1];
  std::thread t([&pp] { send(pp.wr, "hello"); });
  std::string got = drain(pp.rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the thread running the lambda writes 'pp.wr' and never closes it, so reading 'pp.rd' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: the thread running the lambda starts here, given 'pp.wr'
  t.join();
  close(pp.rd);
  close(pp.wr);
  return got;
}

std::string threadCloses() {
  int p[2];
  if (pipe(p) < 0)
    return "";
  std::thread t([&] {
    write(p[1], "hello", 5);
    close(p[1]);
  });
  std::string got = drain(p[0]);
  t.join();
  close(p[0]);
  return got;
}

std::string countedRead() {
  int p[2];
  if (pipe(p) < 0)
    return "";
  std::thread t([&] { write(p[1], "hello", 5); });
  char buf[5];
  size_t got = 0;
  while (got < sizeof buf) {
    ssize_t n = read(p[0], buf + got, sizeof buf - got);
    if (n <= 0)
      break;
    got += size_t(n);
  }
  t.join();
  close(p[0]);
  close(p[1]);
  return std::string(buf, got);
}

// The pipe in the object's members, the thread's lambda given `this`.
class Relay {
public:
  std::string memberCapture() {
    if (pipe(p_) < 0)
      return "";
    std::thread t([this] { send(p_[1], "hello"); });
    std::string got = drain(p_[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the thread running the lambda writes 'p_[1]' and never closes it, so reading 'p_[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: the thread running the lambda starts here, given 'p_[1]'
    t.join();
    close(p_[0]);
    close(p_[1]);
    return got;
  }

  std::string memberThreadCloses() {
    if (pipe(p_) < 0)
      return "";
    std::thread t([this] {
      send(p_[1], "hello");
      close(p_[1]);
    });
    std::string got = drain(p_[0]);
    t.join();
    close(p_[0]);
    return got;
  }

  // The lambda only calls a method that writes the member: the same.
  std::string memberViaMethod() {
    if (pipe(p_) < 0)
      return "";
    std::thread t([this] { produce(); });
    std::string got = drain(p_[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the thread running the lambda uses 'p_[1]' and never closes it, so reading 'p_[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:17: note: the thread running the lambda starts here, given 'p_[1]'
    t.join();
    close(p_[0]);
    close(p_[1]);
    return got;
  }

  // Near miss: the method it calls closes the member too.
  std::string memberMethodCloses() {
    if (pipe(p_) < 0)
      return "";
    std::thread t([this] { produceAndClose(); });
    std::string got = drain(p_[0]);
    t.join();
    close(p_[0]);
    return got;
  }

private:
  void produce() { send(p_[1], "hello"); }
  void produceAndClose() {
    send(p_[1], "hello");
    close(p_[1]);
  }
  int p_[2] = {-1, -1};
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "array-capture")
    return arrayCapture() != "hello";
  if (s == "struct-capture")
    return structCapture() != "hello";
  if (s == "thread-closes")
    return threadCloses() != "hello";
  if (s == "counted-read")
    return countedRead() != "hello";
  if (s == "member-capture")
    return Relay().memberCapture() != "hello";
  if (s == "member-thread-closes")
    return Relay().memberThreadCloses() != "hello";
  if (s == "member-via-method")
    return Relay().memberViaMethod() != "hello";
  if (s == "member-method-closes")
    return Relay().memberMethodCloses() != "hello";
  return 2;
}

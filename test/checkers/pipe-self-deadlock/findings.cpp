// Positive findings of pipe-self-deadlock in C++: pipes created in lambda
// bodies, a function template instantiated with a record larger than a pipe
// holds, and ends kept in std::array. Every finding comes with a scenario
// that takes the reported path and hangs there; the "-ok" scenarios take the
// same code's other paths and terminate.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s lambda-handshake hang
// RUN: %run_example %s lambda-split hang
// RUN: %run_example %s template-large hang
// RUN: %run_example %s template-small-ok exit
// RUN: %run_example %s std-array-capture hang
// RUN: %run_example %s std-array-threaded-ok exit
// RUN: %run_example %s std-array-inline hang
// RUN: %run_example %s binding hang

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// Greets a peer over a new socket pair and returns its answer. The greeting
// goes out on sv[0] and arrives at sv[1], which nobody reads or answers on.
static std::string greet_peer(const std::string &hello) {
  auto handshake = [&hello]() -> std::string {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
      return {};
    char reply[64];
    send(sv[0], hello.data(), hello.size(), 0);
    ssize_t n = recv(sv[0], reply, sizeof reply, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: read from 'sv[0]' blocks forever: this thread holds the only write end 'sv[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-6]]:9: note: socket pair created here
    close(sv[0]);
    close(sv[1]);
    return n > 0 ? std::string(reply, static_cast<std::size_t>(n)) : "";
  };
  return handshake();
}

// Splits the text into lines by passing it through a pipe. The reading loop
// leaves on end-of-file, which never comes while fds[1] is open.
static std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  auto collect = [&text, &lines] {
    int fds[2];
    if (pipe(fds) < 0)
      return false;
    write(fds[1], text.data(), text.size());
    std::string current;
    char buf[256];
    for (;;) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE-8]]:9: note: pipe created here
      if (n <= 0)
        break;
      for (ssize_t i = 0; i < n; ++i) {
        if (buf[i] == '\n') {
          lines.push_back(current);
          current.clear();
        } else {
          current += buf[i];
        }
      }
    }
    close(fds[0]);
    close(fds[1]);
    return true;
  };
  collect();
  return lines;
}

// Copies a record through a pipe, as a check that it survives the trip. A
// record larger than the pipe's 64 KiB fills it before this thread reads.
template <typename Record> bool copy_through_pipe(const Record &in, Record &out) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  write(fds[1], &in, sizeof in);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 100000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(fds[1]);
  ssize_t n = read(fds[0], &out, sizeof out);
  close(fds[0]);
  return n == static_cast<ssize_t>(sizeof out);
}

struct SmallRecord {
  char name[16];
  int value;
};

struct LargeRecord {
  char payload[100000];
};

bool copy_small(const SmallRecord &in, SmallRecord &out) {
  return copy_through_pipe(in, out);
}

bool copy_large(const LargeRecord &in, LargeRecord &out) {
  return copy_through_pipe(in, out);
}

// Runs 'cmd' with sh -c and returns what it prints. The parent keeps its
// copy of the write end, which the child's exit does not close.
std::string capture_output(const char *cmd) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return {};
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return {};
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, static_cast<char *>(nullptr));
    _exit(127);
  }
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  // CHECK-MESSAGES: :[[@LINE-2]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, nullptr, 0);
  return out;
}

// Computes a checksum on a worker thread, or in this thread when 'threaded'
// is false; the result comes back through a pipe either way. In this thread
// nobody writes it.
long checksum(const std::string &data, bool threaded) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return -1;
  std::thread worker;
  if (threaded)
    worker = std::thread([w = fds[1], &data] {
      long sum = 0;
      for (unsigned char c : data)
        sum += c;
      write(w, &sum, sizeof sum);
    });
  long sum = -1;
  read(fds[0], &sum, sizeof sum);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  if (worker.joinable())
    worker.join();
  close(fds[0]);
  close(fds[1]);
  return sum;
}

// Waits for a one-byte go signal on a new pipe, named by a structured
// binding of the plain array. Nothing writes to 'w', and this thread holds
// it: the read never returns.
int wait_for_go() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  char c;
  ssize_t n = read(r, &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: read from 'r' blocks forever: this thread holds the only write end 'w' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(r);
  close(w);
  return n == 1 ? c : -1;
}

// ---- scenarios -------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "lambda-handshake")
    return greet_peer("hello").empty();
  if (s == "lambda-split")
    return split_lines("one\ntwo\n").size() != 2;
  if (s == "template-large") {
    static LargeRecord in, out;
    return !copy_large(in, out);
  }
  if (s == "template-small-ok") {
    SmallRecord in{"answer", 42}, out{};
    return !(copy_small(in, out) && out.value == 42);
  }
  if (s == "std-array-capture")
    return capture_output("echo hello").empty();
  if (s == "std-array-threaded-ok")
    return checksum("abc", true) != 'a' + 'b' + 'c';
  if (s == "std-array-inline")
    return checksum("abc", false) != 'a' + 'b' + 'c';
  if (s == "binding")
    return wait_for_go() != 'g';
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

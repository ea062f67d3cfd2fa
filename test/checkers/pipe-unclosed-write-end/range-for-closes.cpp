// A range-for that closes each descriptor of a braced list, of a C array or
// of a std::array (`for (int fd : {p[0], p[1]}) close(fd);`, with or
// without an `if (fd >= 0)` guard) closes each of them: in the function
// itself, in a helper it calls (by reference, one and two deep), in a
// lambda, and through a struct's member array. A list that leaves the
// write end out leaks it, and that is reported; every near-miss closes
// both ends and leaves no descriptor open.
//
// RUN: %check_pipe_tidy -std=c++17,c++20 --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s list-leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes-all exit -- -I%S/Inputs

#include <array>
#include "count-fds.h"
#include <fcntl.h>
#include <initializer_list>
#include <string>
#include <unistd.h>

namespace {

// The list names the read end only: the write end leaks.
int send_token(char c) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  for (int fd : {p[0]})
    close(fd);
  return c;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'send_token' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
}

// The same through a helper that closes what its list names.
void close_listed(int (&fds)[2]) {
  for (int fd : {fds[0]})
    if (fd > 2)
      close(fd);
}

int send_token_via_helper(char c) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  close_listed(p);
  return c;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'send_token_via_helper' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
}

// Near-misses: both ends closed.
int list_both(char c) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  for (int fd : {p[0], p[1]})
    close(fd);
  return c;
}

int array_guarded(char c) {
  int p[2] = {-1, -1};
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  for (int fd : p)
    if (fd >= 0)
      ::close(fd);
  return c;
}

int std_array(char c) {
  std::array<int, 2> p{};
  if (pipe(p.data()) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  for (int fd : p) {
    if (fd != -1)
      close(fd);
  }
  return c;
}

// In helpers, one and two deep, given the array by reference.
void close_pair(int (&fds)[2]) {
  for (int fd : fds)
    close(fd);
}
void shut_down(int (&fds)[2]) { close_pair(fds); }

int via_helpers(char c) {
  int a[2], b[2];
  if (pipe(a) != 0)
    return -1;
  if (pipe(b) != 0) {
    close_pair(a);
    return -1;
  }
  if (write(a[1], &c, 1) != 1 || write(b[1], &c, 1) != 1)
    c = 0;
  close_pair(a);
  shut_down(b);
  return c;
}

// In a lambda, and through a struct's member array.
struct Channel {
  int fds[2];
};

int lambda_and_struct(char c) {
  Channel ch;
  if (pipe(ch.fds) != 0)
    return -1;
  auto finish = [&ch] {
    for (int fd : ch.fds)
      close(fd);
  };
  if (write(ch.fds[1], &c, 1) != 1) {
    finish();
    return -1;
  }
  finish();
  return c;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "list-leaks") {
    for (int i = 0; i < 16; ++i) {
      send_token('x');
      send_token_via_helper('x');
    }
    return open_fds() - before != 32; // one write end each
  }
  if (s == "closes-all") {
    for (int i = 0; i < 16; ++i) {
      list_both('x');
      array_guarded('x');
      std_array('x');
      via_helpers('x');
      lambda_and_struct('x');
    }
    return open_fds() != before;
  }
  return 2;
}

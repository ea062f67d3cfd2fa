// Dependent code, uninstantiated templates, generic lambdas, macros and
// invalid code must never crash the checks; findings in instantiations are
// reported once.
// RUN: %check_pipe_tidy %s pipe-* %t -- -- -std=c++20 -fno-delayed-template-parsing

#include <unistd.h>
#include <array>
#include <utility>

int do_work();

template <typename T> struct Channel {
  int fds[2];
  T payload;
  bool open() { return pipe(fds) == 0; } // member: handed off, silent
  template <typename U> int send(U u) {
    int p[2];
    if (pipe(p) < 0)
      return -1;
    if (u < 0)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'send' leaks the write end 'p[1]' (and the read end 'p[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    close(p[0]);
    close(p[1]);
    return 0;
  }
};

template <typename T> int never_instantiated(T t) {
  int p[2];
  if (pipe(p) < 0)
    return t.bad();
  return t.worse(p);
}

int instantiate() {
  Channel<int> c;
  return c.send(1) + c.send(2L);
}

#define MAKE_PIPE(a) pipe(a)
#define CLOSE_BOTH(a) (close((a)[0]), close((a)[1]))

int macros() {
  int p[2];
  if (MAKE_PIPE(p) < 0)
    return -1;
  CLOSE_BOTH(p);
  return 0;
}

auto generic = [](auto fd) {
  if (fd < 0)
    return;
  write(fd, "x", 1);
  close(fd);
};

void use_generic() { generic(3); }

int structured() {
  std::array<int, 2> a{};
  if (pipe(a.data()) < 0)
    return -1;
  auto [r, w] = a; // structured bindings: not followed, so handed off
  close(r);
  return w;
}

// Structured bindings of a plain array: a copy of it (`auto [r, w]`) or a
// reference to it (`auto &[r, w]`); r and w hold fds[0] and fds[1].
template <typename T> int structured_array(T) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds; // returned: handed off to the caller
  close(r);
  return w;
}

template <typename T> int structured_array_ref(T t, int *rfd) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto &[r, w] = fds;
  *rfd = r; // the read end goes to the caller
  if (t < 0)
    return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'structured_array_ref' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  return w;
}

int structured_array_leak(int *rfd) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  *rfd = r;
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'w' of the pipe is still open when 'structured_array_leak' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
}

struct Ends {
  int r, w;
};

int structured_record() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  Ends e{fds[0], fds[1]};
  auto [r, w] = e; // a struct's fields: followed the same way
  close(r);
  return w;
}

int instantiate_structured() {
  int r = -1;
  return structured_array(0) + structured_array_ref(1, &r) + structured_record();
}

int infinite(int n) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  while (true) {
    if (n-- == 0)
      break;
  }
  for (;;) {
    close(p[0]);
    close(p[1]);
    return 0;
  }
  if (0)
    return 1;
}

// pipe-self-copy and pipe-self-deadlock in C++ when a helper pairs the two
// ends of one pipe it is given by reference: a member function taking
// `std::array<int, 2> &` that passes `q[0]` and `q[1]` to a copy member
// function, and a function taking `int (&)[2]` that splice()s `p[0]` into
// `p[1]`. Both are reported in the helper that chose the pair (by
// pipe-self-copy; by pipe-self-deadlock if it is disabled), with a note
// at the call that brings the pipe.
//  - the copy loop never returns (hang); splice() fails with EINVAL (the
//    scenario checks it);
//  - the fixed helpers, pairing ends of two pipes, are silent and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy,pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s router hang
// RUN: %run_example %s ref-array exit
// RUN: %run_example %s router-ok exit
// RUN: %run_example %s ref-array-ok exit

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

const char frame[] = "frame 1\nframe 2\n";

class Router {
public:
  long route(std::array<int, 2> &q, std::array<int, 2> &next) {
    (void)next;
    return copy(q[0], q[1]); // meant next[1]
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'copy' copies what it reads from 'q[0]' into 'q[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'q[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :57:11: note: the copy is made here
    // CHECK-MESSAGES: :80:11: note: both ends of the pipe reach it through this call of 'route'
    // CHECK-MESSAGES: :67:7: note: pipe created here
    // CHECK-MESSAGES-ALONE: :[[@LINE-5]]:12: warning: 'copy' reads 'q[0]' until end-of-file, but it writes what it reads into 'q[1]', the write end of the same pipe, which this process holds: end-of-file never comes and the call never returns; pass the descriptor you meant to copy into [pipe-self-deadlock]
    // CHECK-MESSAGES-ALONE: :57:11: note: 'q[1]' is written here
    // CHECK-MESSAGES-ALONE: :80:11: note: both ends of the pipe reach it through this call
    // CHECK-MESSAGES-ALONE: :67:7: note: pipe created here
  }
  long route_ok(std::array<int, 2> &q, std::array<int, 2> &next) {
    return copy(q[0], next[1]);
  }

private:
  long copy(int from, int to) {
    char buf[512];
    long total = 0;
    for (;;) {
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0)
        return n < 0 ? -1 : total;
      if (::write(to, buf, static_cast<size_t>(n)) != n)
        return -1;
      total += n;
    }
  }
};

int run_router(bool fixed) {
  std::array<int, 2> in, out;
  Router r;
  if (::pipe(in.data()) < 0)
    return -1;
  if (::pipe(out.data()) < 0) {
    ::close(in[0]);
    ::close(in[1]);
    return -1;
  }
  (void)!::write(in[1], frame, sizeof frame - 1);
  long got;
  if (fixed) {
    ::close(in[1]); // all written: the copy ends at end-of-file
    got = r.route_ok(in, out);
  } else {
    got = r.route(in, out);
    ::close(in[1]);
  }
  ::close(in[0]);
  ::close(out[0]);
  ::close(out[1]);
  return got == long(sizeof frame - 1) ? 0 : -1;
}

ssize_t splice_back(int (&p)[2]) {
  return ::splice(p[0], nullptr, p[1], nullptr, 4096, SPLICE_F_NONBLOCK);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'splice_back' copies from 'p[0]' into 'p[1]', the write end of the same pipe, with splice(): the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :111:45: note: both ends of the pipe reach it through this call of 'splice_back'
  // CHECK-MESSAGES: :103:7: note: pipe created here
}

ssize_t splice_across(int (&from)[2], int (&to)[2]) {
  return ::splice(from[0], nullptr, to[1], nullptr, 4096, SPLICE_F_NONBLOCK);
}

// 1 when splice() refused with EINVAL, 0 when it moved the frame.
int splice_demo(bool fixed, int &err) {
  int a[2], b[2];
  if (::pipe(a) < 0)
    return -1;
  if (::pipe(b) < 0) {
    ::close(a[0]);
    ::close(a[1]);
    return -1;
  }
  (void)!::write(a[1], frame, sizeof frame - 1);
  ssize_t r = fixed ? splice_across(a, b) : splice_back(a);
  err = errno;
  ::close(a[0]);
  ::close(a[1]);
  ::close(b[0]);
  ::close(b[1]);
  return r < 0 ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int err = 0;
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "router" || s == "router-ok")
    return run_router(s == "router-ok") != 0;
  if (s == "ref-array")
    return !(splice_demo(false, err) == 1 && err == EINVAL);
  if (s == "ref-array-ok")
    return splice_demo(true, err) != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// With pipe-self-copy enabled, pipe-self-deadlock leaves the copy loop to
// it (one warning per defect); alone, it reports the read that never ends:
// RUN: %check_pipe_tidy --require-analysed -check-suffix=ALONE %s pipe-self-deadlock %t -- -- -I%S

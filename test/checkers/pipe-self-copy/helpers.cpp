// pipe-self-copy through copy helpers in C++: a lambda held in a local
// (`auto pump = [](int from, int to) {...}; pump(a, b);`), a member
// function, and a member function that copies through a free helper
// (depth 2). Called with both ends of one pipe, each copies the pipe into
// itself and never returns (the queue's read end is O_NONBLOCK: without
// the typo the copy ends when it is empty); these scenarios hang. The same
// calls with two different pipes are silent and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t -- -- -I%S
// RUN: %run_example %s lambda hang
// RUN: %run_example %s member hang
// RUN: %run_example %s member-depth2 hang
// RUN: %run_example %s lambda-ok exit
// RUN: %run_example %s member-ok exit
// RUN: %run_example %s member-depth2-ok exit

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

namespace {

const char jobs[] = "resize 1.png\nresize 2.png\nthumb 3.png\n";

/* A queue: a pipe whose read end does not block; the callers fill it. */
bool make_queue(int q[2])
{
  if (pipe(q) < 0)
    return false;
  fcntl(q[0], F_SETFL, O_NONBLOCK);
  return true;
}

/* Copies everything readable from 'from' into 'to'. */
long copy_stream(int from, int to)
{
  char buf[4096];
  long total = 0;

  for (;;) {
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0)
      break;
    if (write_all(to, buf, size_t(n)) < 0)
      return -1;
    total += n;
  }
  return total;
}

class Relay {
public:
  /* Moves what is readable on 'in' to 'out', counting it. */
  long run(int in, int out)
  {
    char buf[1024];
    ssize_t n;

    while ((n = read(in, buf, sizeof buf)) > 0) {
      if (write(out, buf, size_t(n)) != n)
        return -1;
      moved_ += n;
    }
    return moved_;
  }
  /* The same through copy_stream(). */
  long forward(int in, int out) { return copy_stream(in, out); }

private:
  long moved_ = 0;
};

} // namespace

/* ---- findings ----------------------------------------------------------- */

long lambda_relay(std::string &got)
{
  int queue[2], out[2];
  auto pump = [](int from, int to) {
    char buf[512];
    long total = 0;
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0) {
      write_all(to, buf, size_t(n));
      total += n;
    }
    return total;
  };

  if (!make_queue(queue) || write_all(queue[1], jobs, sizeof jobs - 1) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  long moved = pump(queue[0], queue[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'pump' copies what it reads from 'queue[0]' into 'queue[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'queue[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :91:7: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
  close(out[1]);
  char buf[256];
  ssize_t n = read(out[0], buf, sizeof buf);
  got.assign(buf, n > 0 ? size_t(n) : 0);
  close(out[0]);
  close(queue[0]);
  close(queue[1]);
  return moved;
}

long member_relay()
{
  int queue[2];
  Relay relay;

  if (!make_queue(queue) || write_all(queue[1], jobs, sizeof jobs - 1) < 0)
    return -1;
  long moved = relay.run(queue[0], queue[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'run' copies what it reads from 'queue[0]' into 'queue[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'queue[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :66:11: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  close(queue[0]);
  close(queue[1]);
  return moved;
}

long member_forward()
{
  int queue[2];
  Relay relay;

  if (!make_queue(queue) || write_all(queue[1], jobs, sizeof jobs - 1) < 0)
    return -1;
  long moved = relay.forward(queue[0], queue[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'forward' copies what it reads from 'queue[0]' into 'queue[1]', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'queue[1]'; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :50:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  close(queue[0]);
  close(queue[1]);
  return moved;
}

/* ---- near-misses: two pipes --------------------------------------------- */

long lambda_relay_ok(std::string &got)
{
  int queue[2], out[2];
  auto pump = [](int from, int to) {
    char buf[512];
    long total = 0;
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0) {
      write_all(to, buf, size_t(n));
      total += n;
    }
    return total;
  };

  if (!make_queue(queue) || write_all(queue[1], jobs, sizeof jobs - 1) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  long moved = pump(queue[0], out[1]);
  close(out[1]);
  char buf[256];
  ssize_t n = read(out[0], buf, sizeof buf);
  got.assign(buf, n > 0 ? size_t(n) : 0);
  close(out[0]);
  close(queue[0]);
  close(queue[1]);
  return moved;
}

long member_relay_ok(bool through_helper)
{
  int queue[2], out[2];
  Relay relay;

  if (!make_queue(queue) || write_all(queue[1], jobs, sizeof jobs - 1) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  long moved = through_helper ? relay.forward(queue[0], out[1])
                              : relay.run(queue[0], out[1]);
  close(out[1]);
  long arrived = drain(out[0]);
  close(out[0]);
  close(queue[0]);
  close(queue[1]);
  return moved == arrived ? moved : -1;
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";
  std::string got;
  long want = long(sizeof jobs - 1);

  std::signal(SIGPIPE, SIG_IGN);
  if (s == "lambda")
    return lambda_relay(got) != want;
  if (s == "member")
    return member_relay() != want;
  if (s == "member-depth2")
    return member_forward() != want;
  if (s == "lambda-ok")
    return !(lambda_relay_ok(got) == want && got == jobs);
  if (s == "member-ok")
    return member_relay_ok(false) != want;
  if (s == "member-depth2-ok")
    return member_relay_ok(true) != want;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

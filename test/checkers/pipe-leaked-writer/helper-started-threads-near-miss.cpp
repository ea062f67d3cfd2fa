// Near-misses of helper-started-threads.cpp: a start helper (a function
// given the struct, or a class's start()) makes the pipe and starts the
// writer with the write end; here the stop helper or stop() closes the read
// end before it joins, a std::jthread is destroyed only after the read end
// was closed, or the writer writes a few bytes that fit in the pipe.
// pipe-leaked-writer must stay silent; every scenario takes the early path
// and exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S -std=c++20
// RUN: %run_example %s stop-closes-first exit -- -std=c++20
// RUN: %run_example %s jthread-destroyed-after-close exit -- -std=c++20
// RUN: %run_example %s few-bytes-join-first exit -- -std=c++20
// RUN: %run_example %s class-stop-closes-first exit -- -std=c++20

#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static void produce(int fd) {
  write_filled(fd, 'x', 'p', MIB);
  close(fd);
}

static void note(int fd) {
  write(fd, "note", 4);
  close(fd);
}

static bool header_ok(int fd) {
  char hdr[4];
  return read_full(fd, hdr, sizeof hdr) == sizeof hdr && hdr[0] == 'Z';
}

struct Pump {
  std::thread t;
  int rd = -1;
};

static bool start_producer(Pump &p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p.rd = fds[0];
  p.t = std::thread(produce, fds[1]);
  return true;
}

static bool start_note(Pump &p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p.rd = fds[0];
  p.t = std::thread(note, fds[1]);
  return true;
}

// Closes the read end first: the writer fails with EPIPE and returns.
static void stop_pump(Pump &p) {
  close(p.rd);
  p.t.join();
}

int stop_closes_first() {
  Pump p;
  if (!start_producer(p))
    return -1;
  if (!header_ok(p.rd)) {
    stop_pump(p);
    return -1;
  }
  stop_pump(p);
  return 0;
}

struct JPump {
  std::jthread t;
  int rd = -1;
};

static bool start_jpump(JPump *p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p->rd = fds[0];
  p->t = std::jthread(produce, fds[1]);
  return true;
}

// The jthread joins when p is destroyed, after the read end was closed.
int jthread_destroyed_after_close() {
  JPump p;
  if (!start_jpump(&p))
    return -1;
  if (!header_ok(p.rd)) {
    close(p.rd);
    return -1;
  }
  close(p.rd);
  return 0;
}

// Joins first, but the writer writes 4 bytes: they fit in the pipe.
int few_bytes_join_first() {
  Pump p;
  if (!start_note(p))
    return -1;
  if (!header_ok(p.rd)) {
    p.t.join();
    close(p.rd);
    return -1;
  }
  p.t.join();
  close(p.rd);
  return 0;
}

class Exporter {
public:
  bool start() {
    int fds[2];
    if (pipe(fds) != 0)
      return false;
    rd = fds[0];
    t_ = std::thread(produce, fds[1]);
    return true;
  }
  void stop() {
    close(rd);
    t_.join();
  }
  int rd = -1;

private:
  std::thread t_;
};

int class_stop_closes_first() {
  Exporter e;
  if (!e.start())
    return -1;
  if (!header_ok(e.rd)) {
    e.stop();
    return -1;
  }
  e.stop();
  return 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (!strcmp(s, "stop-closes-first"))
    return stop_closes_first() != -1;
  if (!strcmp(s, "jthread-destroyed-after-close"))
    return jthread_destroyed_after_close() != -1;
  if (!strcmp(s, "few-bytes-join-first"))
    return few_bytes_join_first() != -1;
  if (!strcmp(s, "class-stop-closes-first"))
    return class_stop_closes_first() != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

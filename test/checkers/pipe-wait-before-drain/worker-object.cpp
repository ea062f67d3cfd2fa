// pipe-wait-before-drain where a worker object is given the write end
// (its constructor keeps it in a member, in its initialiser list or its
// body, or a setter method does) and its methods start and join the
// thread that writes it: `Producer pr(p[1]); pr.start(); pr.stop();`, with
// no destructor of its own, so the object only holds a copy of the
// number. The writer writes more than the pipe holds (64 KiB) before the
// caller reads, so stop() never returns (hang). The near miss reads in
// another thread while the writer runs, and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s init-list hang
// RUN: %run_example %s body-store hang
// RUN: %run_example %s setter hang
// RUN: %run_example %s read-first exit

#include <string>
#include <thread>
#include <unistd.h>

static long drain(int fd) {
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

class Producer {
public:
  explicit Producer(int wr) : wr_(wr) {}
  void start() {
    t_ = std::thread([this] {
      for (int i = 0; i < 10000; i++)
        if (::write(wr_, "0123456789abcdef\n", 17) != 17)
          break;
    });
  }
  void stop() {
    t_.join();
    ::close(wr_);
  }

private:
  int wr_;
  std::thread t_;
};

// The descriptor stored in the constructor's body; the thread runs a
// member function; stop() joins through a private helper.
class Exporter {
public:
  Exporter(int wr, int lines) {
    wr_ = wr;
    lines_ = lines;
  }
  void start() { t_ = std::thread(&Exporter::run, this); }
  void stop() {
    wait();
    ::close(wr_);
  }

private:
  void run() {
    for (int i = 0; i < lines_; i++)
      if (::write(wr_, "0123456789abcdef\n", 17) != 17)
        break;
  }
  void wait() {
    if (t_.joinable())
      t_.join();
  }
  int wr_, lines_;
  std::thread t_;
};

struct Feeder {
  void attach(int fd) { wr = fd; }
  void start() {
    t = std::thread([this] {
      for (int i = 0; i < 10000; i++)
        if (::write(wr, "0123456789abcdef\n", 17) != 17)
          break;
    });
  }
  void stop() {
    t.join();
    ::close(wr);
  }
  int wr = -1;
  std::thread t;
};

static int init_list() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  Producer pr(p[1]);
  pr.start();
  pr.stop();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: stop() waits for std::thread 'pr.t_' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this stop() never returns; read 'p[0]' to end-of-file before the stop(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'pr.t_' starts here; it writes up to 170000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'p[0]' is read only here, after the wait
  long got = drain(p[0]);
  ::close(p[0]);
  return got == 170000 ? 0 : 1;
}

static int body_store() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  Exporter ex(p[1], 10000);
  ex.start();
  ex.stop();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: stop() waits for std::thread 'ex.t_' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this stop() never returns; read 'p[0]' to end-of-file before the stop(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'ex.t_' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'p[0]' is read only here, after the wait
  long got = drain(p[0]);
  ::close(p[0]);
  return got == 170000 ? 0 : 1;
}

static int setter() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  Feeder f;
  f.attach(p[1]);
  f.start();
  f.stop();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: stop() waits for std::thread 'f.t' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this stop() never returns; read 'p[0]' to end-of-file before the stop(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'f.t' starts here; it writes up to 170000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'p[0]' is read only here, after the wait
  long got = drain(p[0]);
  ::close(p[0]);
  return got == 170000 ? 0 : 1;
}

// Near miss: another thread reads the pipe to end-of-file while the
// writer runs; stop() joins the writer and closes its end, which ends
// the read.
static int read_first() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  Producer pr(p[1]);
  pr.start();
  long got = 0;
  std::thread reader([&] { got = drain(p[0]); });
  pr.stop();
  reader.join();
  ::close(p[0]);
  return got == 170000 ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "init-list")
    return init_list();
  if (s == "body-store")
    return body_store();
  if (s == "setter")
    return setter();
  if (s == "read-first")
    return read_first();
  return 2;
}

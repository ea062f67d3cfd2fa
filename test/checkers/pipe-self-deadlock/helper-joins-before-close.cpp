// pipe-self-deadlock in a method that joins the object's reader thread
// before it closes the write end the reader waits on: the reader is a
// member function or a lambda started by another method (the pipe made
// there, or by a helper through out-parameters), it reads the pipe until
// end-of-file, and `shutdown()` calls `wait_worker()` (the join) and only
// then `close_writer()`. Members the thread only counts with (`total_ +=
// n`) do not hide it. The warning is in the method whose order is wrong,
// also when the caller reaches it through another method. The near misses
// close first.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s method hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s method-ok exit
// RUN: %run_example %s lambda-ok exit

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

class Counter {
public:
  bool start() {
    int p[2];
    if (pipe(p) != 0)
      return false;
    rd_ = p[0];
    wr_ = p[1];
    worker_ = std::thread(&Counter::run, this);
    return true;
  }
  void feed(const char *s, size_t n) {
    if (write(wr_, s, n) < 0)
      perror("write");
  }
  long stop() {
    shutdown();
    return total_;
  }
  long stop_ok() {
    close_writer();
    wait_worker();
    return total_;
  }

private:
  void shutdown() {
    wait_worker();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: wait_worker() joins std::thread 'c.worker_' here, before 'shutdown' closes the write end 'wr_': the thread reads the pipe until end-of-file, which never comes while 'wr_' is open, so wait_worker() never returns; close 'wr_' before the join [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: 'wr_' is closed only here, after the join
    // CHECK-MESSAGES: :[[@LINE+96]]:8: note: std::thread 'c.worker_' starts here; it reads 'c.rd_' until end-of-file
    // CHECK-MESSAGES: :[[@LINE+95]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+97]]:31: note: 'stop' is called here while std::thread 'c.worker_' runs and 'c.wr_' holds the write end
    close_writer();
  }
  void wait_worker() {
    if (worker_.joinable())
      worker_.join();
  }
  void close_writer() {
    if (wr_ >= 0)
      close(wr_);
    wr_ = -1;
  }
  void run() {
    char buf[512];
    ssize_t n;
    while ((n = read(rd_, buf, sizeof buf)) > 0)
      total_ += n;
    close(rd_);
  }
  int rd_ = -1, wr_ = -1;
  long total_ = 0;
  std::thread worker_;
};

static bool make_pipe(int &rd, int &wr) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return false;
  rd = p[0];
  wr = p[1];
  return true;
}

static size_t consume(int fd) {
  char buf[256];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0)
      break;
    total += size_t(n);
  }
  return total;
}

class LineSink {
public:
  bool open() {
    int rd;
    if (!make_pipe(rd, wr_))
      return false;
    worker_ = std::thread([this, rd] {
      bytes_ += consume(rd);
      close(rd);
    });
    return true;
  }
  bool put(const char *s) {
    ++lines_;
    return write(wr_, s, strlen(s)) >= 0;
  }
  size_t finish() {
    stop_worker();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: stop_worker() joins std::thread 'sink.worker_' here, before 'finish' closes the write end 'wr_': the thread reads the pipe until end-of-file, which never comes while 'wr_' is open, so stop_worker() never returns; close 'wr_' before the join [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: 'wr_' is closed only here, after the join
    // CHECK-MESSAGES: :[[@LINE+39]]:8: note: std::thread 'sink.worker_' starts here; it reads 'rd in open()' until end-of-file
    // CHECK-MESSAGES: :[[@LINE+38]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+41]]:38: note: 'finish' is called here while std::thread 'sink.worker_' runs and 'sink.wr_' holds the write end
    close_input();
    return bytes_;
  }
  size_t finish_ok() {
    close_input();
    stop_worker();
    return bytes_;
  }

private:
  void stop_worker() {
    if (worker_.joinable())
      worker_.join();
  }
  void close_input() {
    if (wr_ >= 0)
      close(wr_);
    wr_ = -1;
  }
  int wr_ = -1;
  size_t bytes_ = 0, lines_ = 0;
  std::thread worker_;
};

int method(bool ok) {
  Counter c;
  if (!c.start())
    return 1;
  c.feed("abc", 3);
  long t = ok ? c.stop_ok() : c.stop();
  std::printf("%ld\n", t);
  return t == 3 ? 0 : 1;
}

int lambda(bool ok) {
  LineSink sink;
  if (!sink.open())
    return 1;
  if (!sink.put("one\n") || !sink.put("two\n"))
    return 1;
  size_t n = ok ? sink.finish_ok() : sink.finish();
  return n == 8 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "method"))
    return method(false);
  if (!strcmp(s, "lambda"))
    return lambda(false);
  if (!strcmp(s, "method-ok"))
    return method(true);
  if (!strcmp(s, "lambda-ok"))
    return lambda(true);
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

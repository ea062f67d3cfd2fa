// pipe-self-deadlock when the writes that fill the pipe are a method's: a
// spool class keeps both ends of a pipe in members (made by its
// constructor through a helper, or given to it), its `append()` writes a
// member with a loop of write() of a caller's text (an amount nobody can
// bound), and the same thread calls it in a loop over its sections before
// it reads the pipe back through `drain()`. More than 64 KiB blocks the
// write forever: the only reader is the blocked thread. The member may be
// an array element or a plain member; the object a local or reached
// through a pointer. The near misses: a self-pipe whose `wake()` writes
// one byte before the same thread drains it, and a spool drained by a
// reader thread while the sections are written. (A method's write of an
// amount not known here counts only in a loop, where it adds up.)
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s spool hang
// RUN: %run_example %s sink hang
// RUN: %run_example %s wake exit
// RUN: %run_example %s threaded exit

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

static void make_pipe(int fds[2]) {
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe");
}

static bool write_all(int fd, const std::string &text) {
  const char *p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

class Spool {
public:
  Spool() { make_pipe(fds_); }
  ~Spool() {
    if (fds_[0] >= 0)
      close(fds_[0]);
    if (fds_[1] >= 0)
      close(fds_[1]);
  }
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  void append(const std::string &text) { write_all(fds_[1], text); }
  void wake() { (void)!write(fds_[1], "x", 1); }
  void seal() {
    close(fds_[1]);
    fds_[1] = -1;
  }
  std::string drain() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

private:
  int fds_[2] = {-1, -1};
};

struct Sink {
  int rd = -1, wr = -1;
  void put(const std::string &line) { write_all(wr, line); }
};

static std::vector<std::string> sections(int n) {
  return std::vector<std::string>(n, std::string(1000, 's'));
}

static size_t spool_report(int n) {
  Spool spool;
  for (const std::string &s : sections(n))
    spool.append(s);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing an amount that grows with the loop to 'spool.fds_[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+3]]:10: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
  spool.seal();
  return spool.drain().size();
}

static size_t sink_report(Sink *sink, int n) {
  int fds[2];
  if (pipe(fds) != 0)
    return 0;
  sink->rd = fds[0];
  sink->wr = fds[1];
  for (const std::string &s : sections(n))
    sink->put(s);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing an amount that grows with the loop to 'sink->wr' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+6]]:17: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  close(sink->wr);
  size_t total = 0;
  char buf[4096];
  ssize_t got;
  while ((got = read(sink->rd, buf, sizeof buf)) > 0)
    total += static_cast<size_t>(got);
  close(sink->rd);
  return total;
}

static size_t wake_once() {
  Spool spool;
  spool.wake();
  spool.seal();
  return spool.drain().size();
}

static size_t threaded_report(int n) {
  Spool spool;
  size_t got = 0;
  std::thread reader([&spool, &got] { got = spool.drain().size(); });
  for (const std::string &s : sections(n))
    spool.append(s);
  spool.seal();
  reader.join();
  return got;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "spool")
    return spool_report(200) > 0 ? 0 : 1;
  if (s == "sink") {
    Sink sink;
    return sink_report(&sink, 200) > 0 ? 0 : 1;
  }
  if (s == "wake")
    return wake_once() == 1 ? 0 : 1;
  if (s == "threaded")
    return threaded_report(200) == 200000 ? 0 : 1;
  return 2;
}

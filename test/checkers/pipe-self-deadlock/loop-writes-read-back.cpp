// C++ shape of loop-writes-read-back.c: a range-for over the records in a
// member function using the pipe its constructor made. The near-miss reads
// each record back in the same turn, so the pipe never holds more than one.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s member hang
// RUN: %run_example %s echo exit

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

// Writes all of buf, retrying short writes and EINTR.
static bool send_all(int fd, const std::string &buf) {
  for (size_t off = 0; off < buf.size();) {
    ssize_t n = ::write(fd, buf.data() + off, buf.size() - off);
    if (n > 0)
      off += size_t(n);
    else if (n < 0 && errno == EINTR)
      continue;
    else
      return false;
  }
  return true;
}

// Reads exactly size bytes, or fails.
static bool recv_exact(int fd, char *out, size_t size) {
  for (size_t got = 0; got < size;) {
    ssize_t n = ::read(fd, out + got, size - got);
    if (n <= 0)
      return false;
    got += size_t(n);
  }
  return true;
}

class Queue {
public:
  Queue() {
    if (::pipe(fds_) != 0)
      fds_[0] = fds_[1] = -1;
  }
  ~Queue() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  size_t roundtrip(const std::vector<std::string> &recs) {
    for (const std::string &r : recs)
      if (!send_all(fds_[1], r))
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: writing an amount that grows with the loop to 'fds_[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE+4]]:12: note: this thread reads the pipe back here
// CHECK-MESSAGES: :[[@LINE-12]]:9: note: pipe created here
        return 0;
    char c = 0;
    return recv_exact(fds_[0], &c, 1) ? recs.size() : 0;
  }

  size_t echo(const std::vector<std::string> &recs) {
    size_t n = 0;
    for (const std::string &r : recs) {
      std::string back(r.size(), '\0');
      if (!send_all(fds_[1], r) || !recv_exact(fds_[0], &back[0], back.size()))
        return n;
      n += back == r;
    }
    return n;
  }

private:
  int fds_[2];
};

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  std::vector<std::string> many(5000, std::string(64, 'x'));
  if (s == "member") {
    Queue q;
    return q.roundtrip(many) == many.size() ? 0 : 1;
  }
  if (s == "echo") {
    Queue q;
    return q.echo(many) == many.size() ? 0 : 1;
  }
  return 2;
}

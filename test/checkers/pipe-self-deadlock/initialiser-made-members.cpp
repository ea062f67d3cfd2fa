// A class whose only code that makes or closes a descriptor is a member
// initialiser (`Tap() : link_(make_link()) {}`) still keeps a pipe in its
// members: its other methods write to the write end and read the read end
// until end-of-file. That read never ends, since the object still holds
// the write end, and nothing in the class closes it (not even a
// destructor). The pipe may come from a helper returning a struct of both
// ends, or from one filling an array member through a pointer; the read
// may be a method's own loop or a helper's.
//
// The near misses: a class whose `seal()` closes the write end before the
// read, and one whose read takes only what was written (no read to
// end-of-file).
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s struct-member hang
// RUN: %run_example %s array-member hang
// RUN: %run_example %s sealed exit
// RUN: %run_example %s counted exit

#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace {

struct Ends {
  int rd = -1;
  int wr = -1;
};

Ends make_link() {
  int p[2];
  if (pipe(p) != 0)
    throw std::runtime_error("pipe");
  return Ends{p[0], p[1]};
}

int open_link(int *fds) { return pipe(fds); }

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  return out;
}

class Tap {
public:
  Tap() : link_(make_link()) {}
  void put(const char *s) { (void)!write(link_.wr, s, strlen(s)); }
  std::string drain() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(link_.rd, buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'link_.rd' until end-of-file never ends: the object still holds the write end 'link_.wr' in a member that nothing in its class closes; close 'link_.wr' before reading to the end [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-8]]:17: note: pipe created here
      out.append(buf, size_t(n));
    return out;
  }

private:
  Ends link_;
};

class Journal {
public:
  Journal() : ok_(open_link(fds_) == 0) {}
  bool ok() const { return ok_; }
  void note(const char *s) { (void)!write(fds_[1], s, strlen(s)); }
  std::string text() { return read_all(fds_[0]); }
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: reading 'fds_[0]' until end-of-file never ends: the object still holds the write end 'fds_[1]' in a member that nothing in its class closes; close 'fds_[1]' before reading to the end [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: pipe created here

private:
  int fds_[2] = {-1, -1};
  bool ok_;
};

class SealedTap {
public:
  SealedTap() : link_(make_link()) {}
  void put(const char *s) { (void)!write(link_.wr, s, strlen(s)); }
  void seal() {
    close(link_.wr);
    link_.wr = -1;
  }
  std::string drain() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(link_.rd, buf, sizeof buf)) > 0)
      out.append(buf, size_t(n));
    return out;
  }

private:
  Ends link_;
};

class CountedTap {
public:
  CountedTap() : link_(make_link()) {}
  void put(const char *s) {
    size_t len = strlen(s);
    if (write(link_.wr, s, len) == ssize_t(len))
      pending_ += len;
  }
  std::string take() {
    std::string out(pending_, '\0');
    size_t got = 0;
    while (got < pending_) {
      ssize_t n = read(link_.rd, &out[got], pending_ - got);
      if (n <= 0)
        break;
      got += size_t(n);
    }
    out.resize(got);
    pending_ = 0;
    return out;
  }

private:
  Ends link_;
  size_t pending_ = 0;
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "struct-member")) {
    Tap t;
    t.put("hello\n");
    return t.drain() == "hello\n" ? 0 : 1;
  }
  if (!strcmp(argv[1], "array-member")) {
    Journal j;
    if (!j.ok())
      return 1;
    j.note("started\n");
    return j.text().empty() ? 1 : 0;
  }
  if (!strcmp(argv[1], "sealed")) {
    SealedTap t;
    t.put("hello\n");
    t.seal();
    return t.drain() == "hello\n" ? 0 : 1;
  }
  if (!strcmp(argv[1], "counted")) {
    CountedTap t;
    t.put("hello\n");
    return t.take() == "hello\n" ? 0 : 1;
  }
  return 2;
}

// The C++ shapes of read-result-helpers.c: a static member function that
// reports its read in its result (`Io::read_full()`: 1 when it read, 0 at
// end-of-file, -errno on a failure), looped on directly, in a method of an
// object that keeps the descriptor in a member and returns -EPROTO on a
// bad record, and in a lambda. Each reads the read end to end-of-file
// while this thread holds the write end (hang). Near misses: the write end
// closed first, and a fixed number of records read. Both finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s loop hang
// RUN: %run_example %s method hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s counted exit

#include <cerrno>
#include <cstring>
#include <unistd.h>

struct Io {
  static int read_full(int fd, void *buf, size_t len) {
    char *p = static_cast<char *>(buf);
    size_t got = 0;
    while (got < len) {
      ssize_t n = ::read(fd, p + got, len - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -errno;
      if (n == 0)
        return got == 0 ? 0 : -EPIPE;
      got += static_cast<size_t>(n);
    }
    return 1;
  }
};

class Replayer {
public:
  explicit Replayer(int fd) : fd_(fd) {}
  int run() {
    char rec[2];
    int rc, n = 0;
    while ((rc = Io::read_full(fd_, rec, sizeof rec)) > 0) {
      if (rec[0] == '!')
        return -EPROTO;
      ++n;
    }
    return rc < 0 ? rc : n;
  }

private:
  int fd_;
};

int loop() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  (void)!::write(p[1], "abcd", 4);
  char rec[2];
  int n = 0;
  while (Io::read_full(p[0], rec, sizeof rec) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    ++n;
  ::close(p[0]);
  ::close(p[1]);
  return n;
}

int method() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  (void)!::write(p[1], "abcd", 4);
  Replayer r(p[0]);
  int n = r.run();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  ::close(p[0]);
  ::close(p[1]);
  return n;
}

int lambda() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  (void)!::write(p[1], "abcd", 4);
  auto replay = [](int fd) {
    char rec[2];
    int rc, n = 0;
    while ((rc = Io::read_full(fd, rec, sizeof rec)) > 0)
      ++n;
    return rc < 0 ? rc : n;
  };
  int n = replay(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  ::close(p[0]);
  ::close(p[1]);
  return n;
}

// Near misses.

int closed_first() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  (void)!::write(p[1], "abcd", 4);
  ::close(p[1]);
  Replayer r(p[0]);
  int n = r.run();
  ::close(p[0]);
  return n;
}

int counted() {
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  (void)!::write(p[1], "abcd", 4);
  char rec[2];
  int n = 0;
  for (int i = 0; i < 2; i++)
    if (Io::read_full(p[0], rec, sizeof rec) > 0)
      ++n;
  ::close(p[0]);
  ::close(p[1]);
  return n;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "loop"))
    return loop() < 0;
  if (!std::strcmp(s, "method"))
    return method() < 0;
  if (!std::strcmp(s, "lambda"))
    return lambda() < 0;
  if (!std::strcmp(s, "closed-first"))
    return closed_first() == 2 ? 0 : 1;
  if (!std::strcmp(s, "counted"))
    return counted() == 2 ? 0 : 1;
  return 2;
}

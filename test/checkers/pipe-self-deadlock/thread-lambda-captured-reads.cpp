// pipe-self-deadlock at the join of a std::thread whose lambda reads the
// pipe to end-of-file through a descriptor it captures by copy or
// initialises in its capture list (`[rfd = p[0]]`, `[fd]`), in its own
// body or through a std::function it calls (a consumer given to a member
// function by its caller): this thread still holds the write end at the
// join, so end-of-file never comes and the join never returns. The near
// miss closes the write end before the join and finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s init-capture hang
// RUN: %run_example %s copy-capture hang
// RUN: %run_example %s consumer hang
// RUN: %run_example %s close-first exit

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>

namespace {

void writeAll(int fd, const std::string &s) {
  const char *p = s.data();
  size_t left = s.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return;
    p += n;
    left -= size_t(n);
  }
}

int initCapture() {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  long total = 0;
  std::thread reader([&total, rfd = p[0]] {
    char buf[256];
    ssize_t n;
    while ((n = read(rfd, buf, sizeof buf)) > 0)
      total += n;
  });
  writeAll(p[1], "one\ntwo\nthree\n");
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: std::thread 'reader' starts here; it reads 'p[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  close(p[1]);
  close(p[0]);
  return total == 14 ? 0 : 1;
}

int copyCapture() {
  int p[2];
  if (pipe(p) < 0)
    return 1;
  int fd = p[0];
  long lines = 0;
  std::thread reader([fd, &lines] {
    char c;
    for (;;) {
      ssize_t n = read(fd, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      lines += c == '\n';
    }
  });
  writeAll(p[1], "a\nb\n");
  reader.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'reader' is joined here, but it reads 'fd' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'reader' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-14]]:15: note: std::thread 'reader' starts here; it reads 'fd' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here; its write end 'p[1]' is still open at the join
  close(p[1]);
  close(fd);
  return lines == 2 ? 0 : 1;
}

class Batch {
public:
  explicit Batch(std::vector<std::string> items) : items_(std::move(items)) {}
  // Runs consume(read end) on a thread while the items are written.
  long feed(const std::function<long(int)> &consume, bool closeFirst) const {
    int p[2];
    if (pipe(p) < 0)
      return -1;
    long result = 0;
    std::thread worker([&result, &consume, rfd = p[0]] { result = consume(rfd); });
    for (const std::string &s : items_)
      writeAll(p[1], s + "\n");
    if (closeFirst)
      close(p[1]);
    worker.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 'worker' is joined here, but it reads 'p[0]' until end-of-file while this thread still holds the write end 'p[1]': end-of-file never comes, so std::thread 'worker' never finishes and this join never returns; close 'p[1]' before joining [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-7]]:17: note: std::thread 'worker' starts here; it reads 'p[0]' until end-of-file
    // CHECK-MESSAGES: :[[@LINE-11]]:9: note: pipe created here; its write end 'p[1]' is still open at the join
    // CHECK-MESSAGES: :[[@LINE-6]]:9: note: taking the false branch
    // CHECK-MESSAGES: :[[@LINE+13]]:7: note: every call of 'feed' passes this lambda as 'consume'
    if (!closeFirst)
      close(p[1]);
    close(p[0]);
    return result;
  }

private:
  std::vector<std::string> items_;
};

long countBytes(const Batch &b, bool closeFirst) {
  return b.feed(
      [](int fd) {
        char buf[128];
        long n = 0;
        for (;;) {
          ssize_t got = read(fd, buf, sizeof buf);
          if (got < 0 && errno == EINTR)
            continue;
          if (got <= 0)
            break;
          n += got;
        }
        return n;
      },
      closeFirst);
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  Batch b({"x", "yy", "zzz"});
  if (!std::strcmp(s, "init-capture"))
    return initCapture();
  if (!std::strcmp(s, "copy-capture"))
    return copyCapture();
  if (!std::strcmp(s, "consumer"))
    return countBytes(b, false) == 9 ? 0 : 1;
  if (!std::strcmp(s, "close-first"))
    return countBytes(b, true) == 9 ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// The C++ shapes of a helper that writes one of its caller's descriptors
// and then reads another, given the two ends of one pipe: a method whose
// object got both ends from its constructor, a lambda taking the struct by
// reference. Each writes every pending record (more than a pipe holds)
// before it reads the first one back, in the same thread.
//
// The near miss: a method that reads each record back in the turn that
// writes it.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s batcher hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lock-step exit

#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Spool {
  int rd = -1;
  int wr = -1;
};

Spool makeSpool() {
  int p[2];
  if (pipe(p) != 0)
    return {};
  return {p[0], p[1]};
}

bool writeAll(int fd, const void *data, size_t len) {
  const char *p = static_cast<const char *>(data);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n <= 0)
      return false;
    p += n;
    len -= size_t(n);
  }
  return true;
}

class Batcher {
public:
  Batcher(int rd, int wr) : rd_(rd), wr_(wr) {}
  ~Batcher() {
    close(rd_);
    close(wr_);
  }
  void add(std::string rec) { pending_.push_back(std::move(rec)); }
  size_t flush() {
    for (const std::string &rec : pending_)
      if (!writeAll(wr_, rec.data(), rec.size()))
        return 0;
    size_t n = 0;
    char buf[100];
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (read(rd_, buf, sizeof buf) <= 0)
        break;
      ++n;
    }
    pending_.clear();
    return n;
  }
  size_t lockStep() {
    size_t n = 0;
    char buf[100];
    for (const std::string &rec : pending_) {
      if (!writeAll(wr_, rec.data(), rec.size()))
        break;
      if (read(rd_, buf, sizeof buf) <= 0)
        break;
      ++n;
    }
    pending_.clear();
    return n;
  }

private:
  int rd_, wr_;
  std::vector<std::string> pending_;
};

size_t batcher(bool lockStep) {
  Spool s = makeSpool();
  if (s.rd < 0)
    return 0;
  Batcher b(s.rd, s.wr);
  for (int i = 0; i < 5000; ++i)
    b.add(std::string(100, 'x'));
  if (lockStep)
    return b.lockStep();
  return b.flush();
  // CHECK-MESSAGES: :[[@LINE-41]]:12: warning: 'flush' writes an amount that grows with the loop to 's.wr' and then reads the pipe back from 's.rd' in the same thread, when 'batcher' gives it both ends of one pipe: the pipe holds 65536 bytes, so this write blocks forever before the read; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-37]]:11: note: it reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-3]]:10: note: 'flush' is given both ends of the pipe here
  // CHECK-MESSAGES: :[[@LINE-12]]:13: note: pipe created here
}

size_t viaLambda() {
  auto requeue = [](Spool &sp, const std::vector<std::string> &recs) {
    for (const std::string &rec : recs)
      (void)!write(sp.wr, rec.data(), rec.size());
    size_t n = 0;
    char buf[100];
    for (size_t i = 0; i < recs.size(); ++i)
      if (read(sp.rd, buf, sizeof buf) > 0)
        ++n;
    return n;
  };
  std::vector<std::string> recs(5000, std::string(100, 'y'));
  Spool s = makeSpool();
  if (s.rd < 0)
    return 0;
  size_t n = requeue(s, recs);
  // CHECK-MESSAGES: :[[@LINE-13]]:14: warning: 'requeue' writes an amount that grows with the loop to 's.wr' and then reads the pipe back from 's.rd' in the same thread, when 'viaLambda' gives it both ends of one pipe: the pipe holds 65536 bytes, so this write blocks forever before the read; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-10]]:11: note: it reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-3]]:14: note: 'requeue' is given both ends of the pipe here
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: pipe created here
  close(s.rd);
  close(s.wr);
  return n;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "batcher"))
    return batcher(false) == 5000 ? 0 : 1;
  if (!strcmp(argv[1], "lambda"))
    return viaLambda() == 5000 ? 0 : 1;
  if (!strcmp(argv[1], "lock-step"))
    return batcher(true) == 5000 ? 0 : 1;
  return 2;
}

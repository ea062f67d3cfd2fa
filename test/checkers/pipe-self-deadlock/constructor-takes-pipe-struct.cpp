// An object given a whole struct of pipe ends by its constructor
// (`explicit Spooler(Spool s) : spool_(s) {}`) keeps them in that member:
// its methods' reads and writes of `spool_.rd` and `spool_.wr` are reads
// and writes of the caller's pipe. A method that reads the pipe to
// end-of-file while the caller still holds the write end never returns;
// one that writes more than the pipe holds before it reads it back blocks
// in the write.
//
// The near miss: the caller closes its write end first (the object's
// copy is the same descriptor), so the read sees end-of-file.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s drain hang
// RUN: %run_example %s overfill hang
// RUN: %run_example %s closed-first exit

#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Spool {
  int rd = -1;
  int wr = -1;
};

Spool openSpool() {
  int p[2];
  if (pipe(p) != 0)
    return {};
  return {p[0], p[1]};
}

class Spooler {
public:
  explicit Spooler(Spool s) : spool_(s) {}
  void put(const std::string &rec) {
    (void)!write(spool_.wr, rec.data(), rec.size());
  }
  std::string drain() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(spool_.rd, buf, sizeof buf)) > 0)
      out.append(buf, size_t(n));
    return out;
  }
  size_t requeue(const std::vector<std::string> &recs) {
    for (const std::string &rec : recs)
    // CHECK-MESSAGES: :[[@LINE+4]]:14: warning: 'requeue' writes an amount that grows with the loop to 's.wr' and then reads the pipe back from 's.rd' in the same thread, when 'overfill' gives it both ends of one pipe: the pipe holds 65536 bytes, so this write blocks forever before the read; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+7]]:11: note: it reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE+38]]:14: note: 'requeue' is given both ends of the pipe here
    // CHECK-MESSAGES: :[[@LINE+32]]:13: note: pipe created here
      (void)!write(spool_.wr, rec.data(), rec.size());
    size_t got = 0;
    char buf[100];
    for (size_t i = 0; i < recs.size(); ++i)
      if (read(spool_.rd, buf, sizeof buf) > 0)
        ++got;
    return got;
  }

private:
  Spool spool_;
};

size_t drain(bool closeFirst) {
  Spool s = openSpool();
  if (s.rd < 0)
    return 0;
  Spooler sp(s);
  sp.put("one record\n");
  if (closeFirst)
    close(s.wr);
  size_t n = sp.drain().size();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 's.rd' until end-of-file never ends: this process still holds the write end 's.wr'; close 's.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:13: note: pipe created here
  close(s.rd);
  if (!closeFirst)
    close(s.wr);
  return n;
}

size_t overfill() {
  Spool s = openSpool();
  if (s.rd < 0)
    return 0;
  Spooler sp(s);
  std::vector<std::string> recs(5000, std::string(100, 'z'));
  size_t n = sp.requeue(recs);
  close(s.rd);
  close(s.wr);
  return n;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "drain"))
    return drain(false) > 0 ? 0 : 1;
  if (!strcmp(argv[1], "overfill"))
    return overfill() == 5000 ? 0 : 1;
  if (!strcmp(argv[1], "closed-first"))
    return drain(true) > 0 ? 0 : 1;
  return 2;
}

// pipe-self-deadlock for a class whose constructor makes a pipe into two
// members and whose reading method reads the read end to end-of-file and
// then closes it, while the write end stays in its member until the
// destructor: the method waits for itself. The read end being closed by
// that method itself (on its way out) does not hide that it is open when
// the method starts. Shapes: a capture buffer read by finish(); a stderr
// tap that dup2()s the write end onto descriptor 2 and puts it back
// before reading; a method that reads through a free helper and marks the
// member -1.
//
// Near misses, each run: finish() closing the write end before it reads,
// and a close_writer() method called before the read.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s capture hang
// RUN: %run_example %s stderr-tap hang
// RUN: %run_example %s helper-read hang
// RUN: %run_example %s closes-writer-first exit
// RUN: %run_example %s close-writer-method exit

#include <cstring>
#include <string>
#include <unistd.h>

namespace {

std::string slurp(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  return out;
}

class Capture {
public:
  Capture() {
    int p[2];
    if (::pipe(p) == 0) {
      rd_ = p[0];
      wr_ = p[1];
    }
  }
  ~Capture() {
    if (wr_ >= 0)
      ::close(wr_);
    if (rd_ >= 0)
      ::close(rd_);
  }
  void put(const char *s) { ::write(wr_, s, std::strlen(s)); }
  std::string finish() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(rd_, buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'rd_' until end-of-file never ends: the object still holds the write end 'wr_' in a member that only its destructor closes; close 'wr_' before reading to the end [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-18]]:9: note: pipe created here
      out.append(buf, size_t(n));
    ::close(rd_);
    rd_ = -1;
    return out;
  }

private:
  int rd_ = -1, wr_ = -1;
};

class StderrTap {
public:
  StderrTap() {
    int p[2];
    if (::pipe(p) != 0)
      return;
    saved_ = ::dup(2);
    ::dup2(p[1], 2);
    rd_ = p[0];
    wr_ = p[1];
  }
  ~StderrTap() {
    if (wr_ >= 0)
      ::close(wr_);
    if (rd_ >= 0)
      ::close(rd_);
  }
  std::string take() {
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(rd_, buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'rd_' until end-of-file never ends: the object still holds the write end 'wr_' in a member that only its destructor closes; close 'wr_' before reading to the end [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-24]]:9: note: pipe created here
      out.append(buf, size_t(n));
    ::close(rd_);
    rd_ = -1;
    return out;
  }

private:
  int saved_ = -1, rd_ = -1, wr_ = -1;
};

class Collector {
public:
  Collector() {
    int p[2];
    if (::pipe(p) == 0) {
      in_ = p[0];
      out_ = p[1];
    }
  }
  ~Collector() {
    if (out_ >= 0)
      ::close(out_);
    if (in_ >= 0)
      ::close(in_);
  }
  void add(const char *s) { ::write(out_, s, std::strlen(s)); }
  std::string collect() {
    std::string all = slurp(in_);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: reading 'in_' until end-of-file never ends: the object still holds the write end 'out_' in a member that only its destructor closes; close 'out_' before reading to the end [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-15]]:9: note: pipe created here
    ::close(in_);
    in_ = -1;
    return all;
  }

private:
  int in_ = -1, out_ = -1;
};

class Report {
public:
  Report() {
    int p[2];
    if (::pipe(p) == 0) {
      rd_ = p[0];
      wr_ = p[1];
    }
  }
  ~Report() {
    if (wr_ >= 0)
      ::close(wr_);
    if (rd_ >= 0)
      ::close(rd_);
  }
  void put(const char *s) { ::write(wr_, s, std::strlen(s)); }
  std::string finish() {
    ::close(wr_);
    wr_ = -1;
    std::string out = slurp(rd_);
    ::close(rd_);
    rd_ = -1;
    return out;
  }

private:
  int rd_ = -1, wr_ = -1;
};

class Journal {
public:
  Journal() {
    int p[2];
    if (::pipe(p) == 0) {
      rd_ = p[0];
      wr_ = p[1];
    }
  }
  ~Journal() {
    if (wr_ >= 0)
      ::close(wr_);
    if (rd_ >= 0)
      ::close(rd_);
  }
  void put(const char *s) { ::write(wr_, s, std::strlen(s)); }
  void close_writer() {
    ::close(wr_);
    wr_ = -1;
  }
  std::string finish() {
    std::string out = slurp(rd_);
    ::close(rd_);
    rd_ = -1;
    return out;
  }

private:
  int rd_ = -1, wr_ = -1;
};

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "capture")) {
    Capture c;
    c.put("one\n");
    return c.finish() == "one\n" ? 0 : 1;
  }
  if (!std::strcmp(s, "stderr-tap")) {
    StderrTap t;
    ::write(2, "warn\n", 5);
    return t.take() == "warn\n" ? 0 : 1;
  }
  if (!std::strcmp(s, "helper-read")) {
    Collector c;
    c.add("x");
    return c.collect() == "x" ? 0 : 1;
  }
  if (!std::strcmp(s, "closes-writer-first")) {
    Report r;
    r.put("r");
    return r.finish() == "r" ? 0 : 1;
  }
  if (!std::strcmp(s, "close-writer-method")) {
    Journal j;
    j.put("j");
    j.close_writer();
    return j.finish() == "j" ? 0 : 1;
  }
  return 64;
}

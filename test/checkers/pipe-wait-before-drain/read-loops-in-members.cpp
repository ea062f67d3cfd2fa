// pipe-wait-before-drain where the drain is a method whose loop stops on a
// read result kept in a variable (`ssize_t n = read(rd_, ...); if (n < 0 &&
// errno == EINTR) continue; if (n <= 0) break;`), and the writer is a
// thread another method started with a lambda that captures `this` only
// for a row count. The caller joins (`finish()`) before it drains
// (`collect()`): the writer fills the pipe and the join never returns.
// Also with a struct and free helpers in the same shape. The near misses
// drain first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s class hang
// RUN: %run_example %s struct hang
// RUN: %run_example %s class-ok exit
// RUN: %run_example %s struct-ok exit

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

class Exporter {
public:
  explicit Exporter(int rows) : rows_(rows) {}
  bool start() {
    int fds[2];
    if (pipe(fds) != 0)
      return false;
    rd_ = fds[0];
    int wr = fds[1];
    worker_ = std::thread([this, wr] { render(wr); });
    return true;
  }
  void finish() {
    if (worker_.joinable())
      worker_.join();
  }
  std::string collect() {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = read(rd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      out.append(buf, size_t(n));
    }
    close(rd_);
    rd_ = -1;
    return out;
  }

private:
  void render(int wr) {
    for (int i = 0; i < rows_; ++i)
      dprintf(wr, "%d,row-%05d,some padding to make the line longer\n", i, i);
    close(wr);
  }
  int rows_;
  int rd_ = -1;
  std::thread worker_;
};

int with_class(bool ok) {
  Exporter e(5000);
  if (!e.start())
    return 1;
  std::string csv;
  if (ok) {
    csv = e.collect();
    e.finish();
  } else {
    e.finish();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: finish() waits for std::thread 'e.worker_' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this finish() never returns; read 'e.rd_' to end-of-file before the finish(), or read it from another thread while the writer runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-9]]:8: note: std::thread 'e.worker_' starts here; it writes in a loop or an amount we cannot bound
    // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:11: note: 'e.rd_' is read only here, after the wait
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
    csv = e.collect();
  }
  return csv.size() > 65536 ? 0 : 1;
}

struct job {
  int rd;
  std::thread writer;
};

static void job_finish(job *j) { j->writer.join(); }

static size_t job_collect(job *j) {
  size_t total = 0;
  char buf[4096];
  for (;;) {
    ssize_t n = read(j->rd, buf, sizeof buf);
    if (n <= 0)
      break;
    total += size_t(n);
  }
  close(j->rd);
  return total;
}

int with_struct(bool ok) {
  int p[2];
  if (pipe(p) != 0)
    return 1;
  job j;
  j.rd = p[0];
  int wr = p[1];
  j.writer = std::thread([wr] {
    static char block[4096];
    for (int i = 0; i < 64; ++i)
      if (write(wr, block, sizeof block) < 0)
        break;
    close(wr);
  });
  size_t n;
  if (ok) {
    n = job_collect(&j);
    job_finish(&j);
  } else {
    job_finish(&j);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: job_finish() waits for std::thread 'j.writer' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this job_finish() never returns; read 'j.rd' to end-of-file before the job_finish(), or read it from another thread while the writer runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-14]]:14: note: std::thread 'j.writer' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:9: note: 'j.rd' is read only here, after the wait
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
    n = job_collect(&j);
  }
  return n == 64 * 4096 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "class"))
    return with_class(false);
  if (!strcmp(s, "struct"))
    return with_struct(false);
  if (!strcmp(s, "class-ok"))
    return with_class(true);
  if (!strcmp(s, "struct-ok"))
    return with_struct(true);
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-wait-before-drain for threads and std::async tasks in C++: a writer
// that writes more than the pipe holds is joined (or its future's get() is
// called) before the pipe is read. The writer blocks in write() once the
// pipe is full (64 KiB), so the join never returns. The thread is a local
// std::thread running a lambda, a std::thread kept in a struct by a start
// helper and joined by a finish helper, a std::thread member running a
// member function of a class whose methods make the pipe, start, join and
// read (render(), finish(), collect()), the same with the pipe made by the
// constructor (it throws if pipe() fails), or a std::async task; the output
// is read by a loop or by a helper. The "-ok" scenario writes 4 KiB, which
// fits; the near-misses read before they join.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-leaked-writer %t
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lambda-ok exit
// RUN: %run_example %s member hang
// RUN: %run_example %s async hang
// RUN: %run_example %s read-first exit
// RUN: %run_example %s member-read-first exit
// RUN: %run_example %s class hang
// RUN: %run_example %s class-ok exit
// RUN: %run_example %s class-read-first exit
// RUN: %run_example %s ctor-class hang
// RUN: %run_example %s ctor-class-read-first exit

#include <cstdio>
#include <cstring>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

static long drain(int fd) {
  char buf[8192];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static long lambda(int blocks) {
  int fds[2];
  if (::pipe(fds) != 0)
    return -1;
  std::thread writer([&] {
    std::vector<char> row(4096, 'x');
    for (int i = 0; i < blocks; ++i)
      if (::write(fds[1], row.data(), row.size()) < 0)
        break;
    ::close(fds[1]);
  });
  writer.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: join() waits for std::thread 'writer' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this join() never returns; read 'fds[0]' to end-of-file before the join(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: std::thread 'writer' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'fds[0]' before this join also ends it: the writer then fails with EPIPE
  long total = drain(fds[0]);
  ::close(fds[0]);
  return total;
}

struct Encoder {
  int fds[2];
  std::thread worker;
  int blocks;
};

static void encode(Encoder *e) {
  std::vector<char> row(4096, 'y');
  for (int i = 0; i < e->blocks; ++i)
    if (::write(e->fds[1], row.data(), row.size()) < 0)
      break;
  ::close(e->fds[1]);
}

static void start(Encoder &e) { e.worker = std::thread(encode, &e); }
static void finish(Encoder &e) { e.worker.join(); }
static long collect(Encoder &e) { return drain(e.fds[0]); }

static long member(int blocks) {
  Encoder e;
  e.blocks = blocks;
  if (::pipe(e.fds) != 0)
    return -1;
  start(e);
  finish(e);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: finish() waits for std::thread 'e.worker' before the pipe it writes is read: {{.*}} read 'e.fds[0]' to end-of-file before the finish(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'e.worker' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'e.fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, {{.*}}
  long total = collect(e);
  ::close(e.fds[0]);
  return total;
}

static long async_task(int blocks) {
  int fds[2];
  if (::pipe(fds) != 0)
    return -1;
  int wr = fds[1];
  std::future<void> done = std::async(std::launch::async, [wr, blocks] {
    std::vector<char> row(4096, 'z');
    for (int i = 0; i < blocks; ++i)
      if (::write(wr, row.data(), row.size()) < 0)
        break;
    ::close(wr);
  });
  done.get();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: get() waits for the future 'done' of std::async before the pipe it writes is read: {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-9]]:28: note: the future 'done' of std::async starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:16: note: 'fds[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, {{.*}}
  long total = drain(fds[0]);
  ::close(fds[0]);
  return total;
}

// Near-miss: read to the end first, then join.
static long read_first(int blocks) {
  int fds[2];
  if (::pipe(fds) != 0)
    return -1;
  std::thread writer([&] {
    std::vector<char> row(4096, 'x');
    for (int i = 0; i < blocks; ++i)
      if (::write(fds[1], row.data(), row.size()) < 0)
        break;
    ::close(fds[1]);
  });
  long total = drain(fds[0]);
  writer.join();
  ::close(fds[0]);
  return total;
}

// Near-miss: the same helpers, in the right order.
static long member_read_first(int blocks) {
  Encoder e;
  e.blocks = blocks;
  if (::pipe(e.fds) != 0)
    return -1;
  start(e);
  long total = collect(e);
  finish(e);
  ::close(e.fds[0]);
  return total;
}

// The pipe and the thread are data members; each step is a method.
class Renderer {
public:
  bool open() { return ::pipe(fds_) == 0; }
  void render(int blocks) {
    worker_ = std::thread(&Renderer::encode, this, blocks);
  }
  void finish() {
    if (worker_.joinable())
      worker_.join();
  }
  long collect() { return drain(fds_[0]); }
  ~Renderer() {
    finish();
    ::close(fds_[0]);
  }

private:
  void encode(int blocks) {
    std::vector<char> row(4096, 'r');
    for (int i = 0; i < blocks; ++i)
      if (::write(fds_[1], row.data(), row.size()) < 0)
        break;
    ::close(fds_[1]);
  }
  int fds_[2] = {-1, -1};
  std::thread worker_;
};

static long render_frame(int blocks) {
  Renderer r;
  if (!r.open())
    return -1;
  r.render(blocks);
  r.finish();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: finish() waits for std::thread 'r.worker_' before the pipe it writes is read: {{.*}} read 'r.fds_[0]' to end-of-file before the finish(), {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'r.worker_' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'r.fds_[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, {{.*}}
  return r.collect();
}

// Near-miss: the same class, read before the join.
static long render_frame_read_first(int blocks) {
  Renderer r;
  if (!r.open())
    return -1;
  r.render(blocks);
  long total = r.collect();
  r.finish();
  return total;
}

// The pipe made by the constructor, closed by the destructor.
class Exporter {
public:
  Exporter() {
    if (::pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  Exporter(const Exporter &) = delete;
  Exporter &operator=(const Exporter &) = delete;
  ~Exporter() {
    if (worker_.joinable())
      worker_.join();
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  void start(int blocks) {
    worker_ = std::thread(&Exporter::run, this, blocks);
  }
  void wait() {
    if (worker_.joinable())
      worker_.join();
  }
  long output() { return drain(fds_[0]); }

private:
  void run(int blocks) {
    std::vector<char> row(4096, 'e');
    for (int i = 0; i < blocks; ++i)
      if (::write(fds_[1], row.data(), row.size()) < 0)
        break;
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  int fds_[2];
  std::thread worker_;
};

static long export_all(int blocks) {
  Exporter x;
  x.start(blocks);
  x.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: wait() waits for std::thread 'x.worker_' before the pipe it writes is read: {{.*}} read 'x.fds_[0]' to end-of-file before the wait(), {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: std::thread 'x.worker_' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'x.fds_[0]' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, {{.*}}
  return x.output();
}

// Near-miss: the same class, read before the join.
static long export_all_read_first(int blocks) {
  Exporter x;
  x.start(blocks);
  long total = x.output();
  x.wait();
  return total;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  const long want = 64 * 4096L;
  if (s == "lambda")
    return lambda(64) == want ? 0 : 1;
  if (s == "lambda-ok")
    return lambda(1) == 4096 ? 0 : 1;
  if (s == "member")
    return member(64) == want ? 0 : 1;
  if (s == "async")
    return async_task(64) == want ? 0 : 1;
  if (s == "read-first")
    return read_first(64) == want ? 0 : 1;
  if (s == "member-read-first")
    return member_read_first(64) == want ? 0 : 1;
  if (s == "class")
    return render_frame(64) == want ? 0 : 1;
  if (s == "class-ok")
    return render_frame(1) == 4096 ? 0 : 1;
  if (s == "class-read-first")
    return render_frame_read_first(64) == want ? 0 : 1;
  if (s == "ctor-class")
    return export_all(64) == want ? 0 : 1;
  if (s == "ctor-class-read-first")
    return export_all_read_first(64) == want ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

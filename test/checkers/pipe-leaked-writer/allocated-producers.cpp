// pipe-leaked-writer for a producer (a writer thread and the read end of
// its pipe) that a factory returns in an object: by value, as `new T`, in a
// std::unique_ptr from std::make_unique, or in a std::shared_ptr. The
// caller reads until it finds what it wants and stops early; a helper then
// joins the writer before it closes the read end, so the writer is blocked
// on the full pipe and the join never returns. The warning is in the
// helper, at its join, once. The thread's lambda captures the record count
// only to count with: it is no descriptor the writer holds. The caller that
// closes first, through a helper that closes before it joins, is silent.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s value hang
// RUN: %run_example %s unique hang
// RUN: %run_example %s raw hang
// RUN: %run_example %s shared hang
// RUN: %run_example %s unique-ok exit

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

struct Producer {
  std::thread worker;
  int rfd = -1;
};

// The writer: `count` lines, far more than the pipe holds.
static std::thread start_writer(int wfd, int count) {
  return std::thread([wfd, count] {
    char line[64];
    for (int i = 0; i < count; i++) {
      int len = snprintf(line, sizeof line, "record %07d\n", i);
      if (write(wfd, line, len) < 0)
        break;
    }
    close(wfd);
  });
}

static Producer open_value(int count) {
  Producer p;
  int fds[2];
  if (pipe(fds) != 0)
    return p;
  p.rfd = fds[0];
  int wfd = fds[1];
  p.worker = std::thread([wfd, count] {
    char line[64];
    for (int i = 0; i < count; i++) {
      int len = snprintf(line, sizeof line, "record %07d\n", i);
      if (write(wfd, line, len) < 0)
        break;
    }
    close(wfd);
  });
  return p;
}

static std::unique_ptr<Producer> open_unique(int count) {
  int fds[2];
  if (pipe(fds) != 0)
    return nullptr;
  auto p = std::make_unique<Producer>();
  p->rfd = fds[0];
  int wfd = fds[1];
  p->worker = std::thread([wfd, count] {
    char line[64];
    for (int i = 0; i < count; i++) {
      int len = snprintf(line, sizeof line, "record %07d\n", i);
      if (write(wfd, line, len) < 0)
        break;
    }
    close(wfd);
  });
  return p;
}

static Producer *open_raw(int count) {
  int fds[2];
  if (pipe(fds) != 0)
    return nullptr;
  Producer *p = new Producer;
  p->rfd = fds[0];
  int wfd = fds[1];
  p->worker = std::thread([wfd, count] {
    char line[64];
    for (int i = 0; i < count; i++) {
      int len = snprintf(line, sizeof line, "record %07d\n", i);
      if (write(wfd, line, len) < 0)
        break;
    }
    close(wfd);
  });
  return p;
}

static std::shared_ptr<Producer> open_shared(int count) {
  int fds[2];
  if (pipe(fds) != 0)
    return nullptr;
  auto p = std::make_shared<Producer>();
  p->rfd = fds[0];
  p->worker = start_writer(fds[1], count);
  return p;
}

// Reads until a line holds `needle`: stops early when it does.
static bool find_first(Producer &p, const char *needle) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(p.rfd, buf, sizeof buf - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    buf[n] = '\0';
    if (strstr(buf, needle))
      return true;
  }
}

static void finish(Producer &p) {
  if (p.worker.joinable())
    p.worker.join();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'finish' joins std::thread 'gen.worker' here, before it closes the read end 'p.rfd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'finish' never returns; close 'p.rfd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'p.rfd' is closed only here, after the join
    // CHECK-MESSAGES: :[[@LINE+24]]:18: note: std::thread 'gen.worker' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE+23]]:18: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+26]]:3: note: 'finish' is called here while std::thread 'gen.worker' may still be writing and 'gen.rfd' is no longer read, though not at end-of-file
  close(p.rfd);
}

static void stop(Producer *p) {
  p->worker.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'stop' joins std::thread 'gen->worker' here, before it closes the read end 'p->rfd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'stop' never returns; close 'p->rfd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: 'p->rfd' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+36]]:19: note: std::thread 'gen->worker' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+35]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+38]]:3: note: 'stop' is called here while std::thread 'gen->worker' may still be writing and 'gen->rfd' is no longer read, though not at end-of-file
  close(p->rfd);
  p->rfd = -1;
}

static void finish_closing_first(Producer &p) {
  close(p.rfd);
  if (p.worker.joinable())
    p.worker.join();
}

static int search_value(const char *needle, int count) {
  Producer gen = open_value(count);
  if (gen.rfd < 0)
    return 1;
  bool hit = find_first(gen, needle);
  finish(gen);
  return hit ? 0 : 1;
}

static int search_unique(const char *needle, int count) {
  auto gen = open_unique(count);
  if (!gen)
    return 1;
  bool hit = find_first(*gen, needle);
  gen->worker.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'gen->worker' is joined here while the read end 'gen->rfd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'gen->rfd' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: std::thread 'gen->worker' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:14: note: pipe created here
  close(gen->rfd);
  return hit ? 0 : 1;
}

static int search_raw(const char *needle, int count) {
  Producer *gen = open_raw(count);
  if (!gen)
    return 1;
  bool hit = find_first(*gen, needle);
  stop(gen);
  delete gen;
  return hit ? 0 : 1;
}

static int search_shared(const char *needle, int count) {
  std::shared_ptr<Producer> gen = open_shared(count);
  if (!gen)
    return 1;
  bool hit = find_first(*gen, needle);
  (*gen).worker.join();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: std::thread 'gen->worker' is joined here while the read end 'gen->rfd' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'gen->rfd' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-6]]:35: note: std::thread 'gen->worker' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-7]]:35: note: pipe created here
  close(gen->rfd);
  return hit ? 0 : 1;
}

static int search_unique_ok(const char *needle, int count) {
  auto gen = open_unique(count);
  if (!gen)
    return 1;
  bool hit = find_first(*gen, needle);
  finish_closing_first(*gen);
  return hit ? 0 : 1;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string s = argc > 1 ? argv[1] : "";
  // A match near the start, with 200000 records still to come.
  const char *needle = "record 0000042";
  if (s == "value")
    return search_value(needle, 200000);
  if (s == "unique")
    return search_unique(needle, 200000);
  if (s == "raw")
    return search_raw(needle, 200000);
  if (s == "shared")
    return search_shared(needle, 200000);
  if (s == "unique-ok")
    return search_unique_ok(needle, 200000);
  return 2;
}

// Writers kept in a container (std::vector, std::deque of std::thread or
// std::jthread), started in a loop by emplace_back() or push_back(), and
// joined by a range-for over the container. The container is the handle
// of every writer started at that site: a path that leaves before the
// join loop (a return, an exception from a helper) destroys joinable
// threads, and std::terminate aborts the program; a std::jthread's
// destructor waits for a writer blocked on the full pipe. A join loop of
// another form (an index, a helper given the container) is not judged.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s early-return abort -- -std=c++20
// RUN: %run_example %s pushed-throw abort -- -std=c++20
// RUN: %run_example %s jthread-return hang -- -std=c++20
// RUN: %run_example %s all-read exit -- -std=c++20
// RUN: %run_example %s index-join exit -- -std=c++20
// RUN: %run_example %s helper-join exit -- -std=c++20

#include <csignal>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr size_t kShard = 256 * 1024;

void write_shard(int fd, unsigned i) {
  std::vector<char> block(4096, char('a' + i));
  for (size_t done = 0; done < kShard; done += block.size())
    if (::write(fd, block.data(), block.size()) < 0)
      return;
}

struct PipeFds {
  int rd = -1, wr = -1;
  PipeFds() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::runtime_error("pipe");
    rd = fds[0];
    wr = fds[1];
  }
  ~PipeFds() {
    ::close(rd);
    ::close(wr);
  }
};

unsigned header(int fd) {
  unsigned h = 0;
  if (::read(fd, &h, sizeof h) != sizeof h)
    throw std::runtime_error("truncated");
  if (h != 7)
    throw std::runtime_error("bad header");
  return h;
}

size_t drain_count(int fd, size_t want) {
  std::vector<char> buf(65536);
  size_t total = 0;
  while (total < want) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n <= 0)
      break;
    total += size_t(n);
  }
  return total;
}

// emplace_back() constructs each thread in the container; the early
// return destroys them while they are still writing.
size_t early_return(unsigned n, unsigned magic) {
  int p[2];
  if (::pipe(p) != 0)
    return 0;
  ::write(p[1], &magic, sizeof magic);
  std::vector<std::thread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.emplace_back([fd = p[1], i] { write_shard(fd, i); });
  unsigned h = 0;
  ::read(p[0], &h, sizeof h);
  if (h != 7)
    return 0;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: each std::thread in 'writers' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
// CHECK-MESSAGES: :[[@LINE-6]]:5: note: each std::thread in 'writers' starts here
// CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  size_t total = drain_count(p[0], n * kShard);
  for (auto &t : writers)
    t.join();
  ::close(p[0]);
  ::close(p[1]);
  return total;
}

// push_back() of a thread made by its argument; the pipe in an object
// that closes it; the exception comes from a helper.
size_t pushed_throw(unsigned n, unsigned magic) {
  PipeFds pipe;
  ::write(pipe.wr, &magic, sizeof magic);
  std::deque<std::thread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.push_back(std::thread(write_shard, pipe.wr, i));
  header(pipe.rd);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: each std::thread in 'writers' is destroyed while still joinable when an exception from 'header' leaves its scope here, which calls std::terminate; catch it, close the pipe's read end so that the writer fails with EPIPE, join, and rethrow [pipe-leaked-writer]
// CHECK-MESSAGES: :[[@LINE-3]]:23: note: each std::thread in 'writers' starts here
// CHECK-MESSAGES: :[[@LINE-8]]:11: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-6]]:24: note: the loop condition is false: leaving the loop
  size_t total = drain_count(pipe.rd, n * kShard);
  for (auto &t : writers)
    if (t.joinable())
      t.join();
  return total;
}

// std::jthread: the destructor asks each writer to stop and joins it, but
// write_shard() never looks at a stop token.
size_t jthread_return(unsigned n, unsigned magic) {
  int p[2];
  if (::pipe(p) != 0)
    return 0;
  ::write(p[1], &magic, sizeof magic);
  std::vector<std::jthread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.emplace_back(write_shard, p[1], i);
  unsigned h = 0;
  ::read(p[0], &h, sizeof h);
  if (h != 7)
    return 0;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: each std::jthread in 'writers' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'p[0]' is still open and unread: this hangs; close 'p[0]' before each std::jthread in 'writers' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
// CHECK-MESSAGES: :[[@LINE-6]]:5: note: each std::jthread in 'writers' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
// CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  size_t total = drain_count(p[0], n * kShard);
  for (auto &t : writers)
    t.join();
  ::close(p[0]);
  ::close(p[1]);
  return total;
}

// Near-miss: every path reads what the writers write, then joins them.
size_t all_read(unsigned n) {
  int p[2];
  if (::pipe(p) != 0)
    return 0;
  std::vector<std::thread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.emplace_back(write_shard, p[1], i);
  size_t total = drain_count(p[0], n * kShard);
  for (auto &t : writers)
    t.join();
  ::close(p[0]);
  ::close(p[1]);
  return total;
}

// Near-miss: joined by index on the early path, after closing the read
// end: not a loop this check follows, so the container is given away.
size_t index_join(unsigned n, unsigned magic) {
  int p[2];
  if (::pipe(p) != 0)
    return 0;
  ::write(p[1], &magic, sizeof magic);
  std::vector<std::thread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.emplace_back(write_shard, p[1], i);
  unsigned h = 0;
  ::read(p[0], &h, sizeof h);
  if (h != 7) {
    ::close(p[0]);
    for (size_t i = 0; i < writers.size(); ++i)
      writers[i].join();
    ::close(p[1]);
    return 0;
  }
  size_t total = drain_count(p[0], n * kShard);
  for (auto &t : writers)
    t.join();
  ::close(p[0]);
  ::close(p[1]);
  return total;
}

void join_all(std::vector<std::thread> &ts) {
  for (auto &t : ts)
    t.join();
}

// Near-miss: a helper joins them, after the read end is closed.
size_t helper_join(unsigned n, unsigned magic) {
  int p[2];
  if (::pipe(p) != 0)
    return 0;
  ::write(p[1], &magic, sizeof magic);
  std::vector<std::thread> writers;
  for (unsigned i = 0; i < n; ++i)
    writers.emplace_back(write_shard, p[1], i);
  unsigned h = 0;
  ::read(p[0], &h, sizeof h);
  if (h != 7) {
    ::close(p[0]);
    join_all(writers);
    ::close(p[1]);
    return 0;
  }
  size_t total = drain_count(p[0], n * kShard);
  join_all(writers);
  ::close(p[0]);
  ::close(p[1]);
  return total;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "early-return")
    return early_return(3, 9) == 0 ? 1 : 2;
  if (s == "pushed-throw") {
    try {
      pushed_throw(3, 9);
    } catch (const std::exception &) {
      return 1;
    }
    return 2;
  }
  if (s == "jthread-return")
    return jthread_return(3, 9) == 0 ? 1 : 2;
  if (s == "all-read")
    return all_read(3) == 3 * kShard ? 0 : 1;
  if (s == "index-join")
    return index_join(3, 9) == 0 && index_join(3, 7) == 3 * kShard ? 0 : 1;
  if (s == "helper-join")
    return helper_join(3, 9) == 0 && helper_join(3, 7) == 3 * kShard ? 0 : 1;
  return 2;
}

// Positive findings of pipe-leaked-writer for boost::thread (the std::thread,
// std::jthread and std::async ones are in findings.cpp, which runs without
// Boost): joining a boost::thread before closing the read end hangs on the
// writer blocked on the full pipe, and the destructor of a joinable
// boost::thread detaches it (BOOST_THREAD_VERSION 2), leaving the writer
// blocked for good. The writers write far more than a pipe holds (64 KiB).
// Every finding comes with a scenario that takes the reported path and
// hangs there; the "-ok" scenario takes the normal path and finishes.
//
// The scenarios link Boost.Thread. run_example puts its extra flags before
// the source file, and the linker (as-needed) drops a -lboost_thread that
// comes before the object using it, hence -Wl,--no-as-needed.
// REQUIRES: boost
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s boost-join-before-close hang -- -std=c++20 -Wl,--no-as-needed -lboost_thread
// RUN: %run_example %s boost-destroyed hang -- -std=c++20 -Wl,--no-as-needed -lboost_thread
// RUN: %run_example %s boost-destroyed-ok exit -- -std=c++20 -Wl,--no-as-needed -lboost_thread

#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <boost/thread/thread.hpp>

#include <sys/types.h>
#include <unistd.h>

// ---- helpers ---------------------------------------------------------------

// Writes all of buf to fd; -1 on an error (EPIPE once the reader is gone).
static int write_all(int fd, const void *buf, std::size_t len) {
  const char *p = static_cast<const char *>(buf);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0)
      return -1;
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Reads exactly len bytes unless end-of-file or an error comes first.
static ssize_t read_full(int fd, void *buf, std::size_t len) {
  char *p = static_cast<char *>(buf);
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n <= 0)
      return n < 0 ? -1 : static_cast<ssize_t>(got);
    got += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

// Reads fd to end-of-file; returns the number of bytes.
static long drain(int fd) {
  char buf[8192];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

// The detached workers still running. A server waits for it to drop to zero
// at shutdown so that no task is cut off half-way; a worker left blocked on
// a pipe forever makes that wait hang, which is how the detached scenarios
// below make the leak visible.
class WorkerCount {
public:
  void enter() {
    std::lock_guard<std::mutex> lock(m_);
    ++n_;
  }
  void leave() {
    std::lock_guard<std::mutex> lock(m_);
    if (--n_ == 0)
      idle_.notify_all();
  }
  void wait_idle() {
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [this] { return n_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable idle_;
  int n_ = 0;
};

static WorkerCount g_workers;

constexpr std::size_t kMiB = 1024 * 1024;

// ---- boost::thread joined before the close: hang --------------------------

// Checks the signature block that a signer thread writes in front of the
// signed data; a bad signature makes the rest uninteresting.
static bool verify_signed_blob(std::size_t bytes, char signature) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  boost::thread signer([w = fds[1], bytes, signature] {
    std::vector<char> blob(bytes, 'd');
    blob[0] = signature;
    write_all(w, blob.data(), blob.size());
    close(w);
  });
  char sig;
  if (read_full(fds[0], &sig, 1) != 1 || sig != 'K') {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: boost::thread 'signer' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-9]]:17: note: boost::thread 'signer' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    signer.join();
    close(fds[0]);
    return false;
  }
  drain(fds[0]);
  close(fds[0]);
  signer.join();
  return true;
}

// ---- boost::thread destroyed on an early return: leak ---------------------

// Reads the first line of a transcript a worker writes. With Boost.Thread's
// default configuration (BOOST_THREAD_VERSION 2) the destructor of a
// joinable boost::thread detaches it: no std::terminate, but the worker
// stays blocked on the pipe for good.
static std::string read_transcript_speaker(std::size_t lines, const char *speaker) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  g_workers.enter();
  boost::thread transcriber([w = fds[1], lines] {
    for (std::size_t i = 0; i < lines; ++i)
      if (dprintf(w, "%s: line %zu of the transcript\n", i % 2 ? "bob" : "alice", i) < 0)
        break;
    close(w);
    g_workers.leave();
  });
  std::string first;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n')
    first += c;
  if (first.compare(0, std::strlen(speaker), speaker) != 0)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: boost::thread 'transcriber' is detached by its destructor on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-13]]:17: note: boost::thread 'transcriber' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return {};
  drain(fds[0]);
  close(fds[0]);
  transcriber.join();
  return first;
}

// ---- scenarios -------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  // A write to a pipe whose read end is closed then fails with EPIPE instead
  // of killing the process, as in any program that pipes between threads.
  std::signal(SIGPIPE, SIG_IGN);

  if (s == "boost-join-before-close")
    return verify_signed_blob(kMiB, 'X');
  if (s == "boost-destroyed" || s == "boost-destroyed-ok") {
    std::string first = read_transcript_speaker(30000, s == "boost-destroyed" ? "bob" : "alice");
    // Shutdown: wait for the detached workers to finish.
    g_workers.wait_idle();
    return first.empty() == (s == "boost-destroyed-ok");
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

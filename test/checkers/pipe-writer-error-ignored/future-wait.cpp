// pipe-writer-error-ignored: a std::async writer's future waited for with
// wait(), which neither returns the task's result nor rethrows its
// exception. A shard that cannot be produced throws after closing its end:
// the reader sees a clean end-of-file, and without get() the merge reports
// success with the shard missing. The near misses call get() (after wait(),
// or alone) and see the exception.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s wait-only exit
// RUN: %run_example %s wait-then-get exit
// RUN: %run_example %s get-only exit

#include <cstring>
#include <future>
#include <stdexcept>
#include <string>
#include <unistd.h>

static void emitShard(int Fd, std::string Shard) {
  if (Shard.empty()) {
    ::close(Fd);
    throw std::runtime_error("shard missing");
  }
  if (::write(Fd, Shard.data(), Shard.size()) < 0) {
    ::close(Fd);
    throw std::runtime_error("write failed");
  }
  ::close(Fd);
}

// Returns true when the merge looks complete.
bool mergeShard(const std::string &Shard, std::string &Out) {
  int P[2];
  if (::pipe(P) != 0)
    return false;
  auto F = std::async(std::launch::async, emitShard, P[1], Shard);
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(P[0], Buf, sizeof Buf)) > 0)
    Out.append(Buf, size_t(N));
  ::close(P[0]);
  F.wait();
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'F.wait()' waits for the std::async task but neither returns its result nor rethrows its exception: if the task fails part-way, the reader of 'P[0]' sees a clean end-of-file and uses the output as if complete; call 'F.get()' after reading to end-of-file [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-8]]:12: note: the task of 'F' starts here
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: 'P[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-8]]:10: note: the loop condition is false: leaving the loop
  return N == 0;
}

// Near miss: wait(), then get(), which rethrows.
bool mergeShardChecked(const std::string &Shard, std::string &Out) {
  int P[2];
  if (::pipe(P) != 0)
    return false;
  auto F = std::async(std::launch::async, emitShard, P[1], Shard);
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(P[0], Buf, sizeof Buf)) > 0)
    Out.append(Buf, size_t(N));
  ::close(P[0]);
  F.wait();
  try {
    F.get();
  } catch (const std::exception &) {
    return false;
  }
  return N == 0;
}

// Near miss: get() alone.
bool mergeShardGet(const std::string &Shard, std::string &Out) {
  int P[2];
  if (::pipe(P) != 0)
    return false;
  auto F = std::async(std::launch::async, emitShard, P[1], Shard);
  char Buf[4096];
  ssize_t N;
  while ((N = ::read(P[0], Buf, sizeof Buf)) > 0)
    Out.append(Buf, size_t(N));
  ::close(P[0]);
  try {
    F.get();
  } catch (const std::exception &) {
    return false;
  }
  return N == 0;
}

int main(int argc, char **argv) {
  const char *S = argc > 1 ? argv[1] : "";
  std::string Out;
  // The lie: a missing shard merged as if complete.
  if (std::strcmp(S, "wait-only") == 0)
    return mergeShard("", Out) && Out.empty() ? 0 : 1;
  if (std::strcmp(S, "wait-then-get") == 0)
    return mergeShardChecked("", Out) ? 1 : 0;
  if (std::strcmp(S, "get-only") == 0)
    return mergeShardGet("", Out) ? 1 : 0;
  return 2;
}

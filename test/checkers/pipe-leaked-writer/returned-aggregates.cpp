// Findings of pipe-leaked-writer in C++ where the pipe comes back from a
// helper in a std::pair built in its return statement (`return {fds[0],
// fds[1]};`), and the write end goes to a writer thread: through a
// structured binding passed to a std::jthread, a member captured by a
// lambda, or a copy of the whole pair captured by a std::thread's lambda.
// The reader gives up after the header without closing the read end. Each
// finding's scenario hangs (the jthread joins a writer blocked on the full
// pipe) or aborts (a joinable std::thread destroyed). The near-misses (the
// read end closed before the thread is joined or destroyed) terminate and
// stay silent.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s jthread-binding hang -- -std=c++20
// RUN: %run_example %s thread-member abort -- -std=c++20
// RUN: %run_example %s thread-copy abort -- -std=c++20
// RUN: %run_example %s jthread-binding-ok exit -- -std=c++20
// RUN: %run_example %s thread-copy-ok exit -- -std=c++20

#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <thread>
#include <utility>
#include <unistd.h>

namespace {

std::pair<int, int> make_pipe_pair()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

constexpr char kHeader[] = "id,name\n";

/* Writes the header and 'rows' rows (far more than a pipe holds), then
   closes its end. */
void encode_rows(int out, std::size_t rows)
{
  if (write(out, kHeader, sizeof kHeader - 1) == sizeof kHeader - 1)
    for (std::size_t i = 0; i < rows; ++i)
      if (dprintf(out, "%zu,item-%zu\n", i, i) < 0)
        break;
  close(out);
}

bool header_is(int rd, const char *expected)
{
  char h[sizeof kHeader - 1];
  std::size_t got = 0;
  while (got < sizeof h) {
    ssize_t n = read(rd, h + got, sizeof h - got);
    if (n <= 0)
      return false;
    got += std::size_t(n);
  }
  return std::memcmp(h, expected, sizeof h) == 0;
}

/* ---- findings ----------------------------------------------------------- */

int jthread_binding(const char *expected)
{
  auto [rd, wr] = make_pipe_pair();
  if (rd < 0)
    return -1;
  std::jthread encoder(encode_rows, wr, 100000);
  if (!header_is(rd, expected))
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::jthread 'encoder' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'rd' is still open and unread: this hangs; close 'rd' before std::jthread 'encoder' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-3]]:16: note: std::jthread 'encoder' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:19: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return 1;
  close(rd);
  return 0;
}

int thread_member(const char *expected)
{
  std::pair<int, int> p = make_pipe_pair();
  if (p.first < 0)
    return -1;
  std::thread t([w = p.second] { encode_rows(w, 100000); });
  if (!header_is(p.first, expected))
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 't' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: std::thread 't' starts here
    // CHECK-MESSAGES: :[[@LINE-7]]:27: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return 1;
  close(p.first);
  t.join();
  return 0;
}

int thread_copy(const char *expected)
{
  std::pair<int, int> p = make_pipe_pair();
  if (p.first < 0)
    return -1;
  auto q = p;
  std::thread t([q] { encode_rows(q.second, 100000); });
  if (!header_is(q.first, expected))
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 't' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: std::thread 't' starts here
    // CHECK-MESSAGES: :[[@LINE-8]]:27: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return 1;
  close(q.first);
  t.join();
  return 0;
}

/* ---- near-misses -------------------------------------------------------- */

int jthread_binding_ok(const char *expected)
{
  auto [rd, wr] = make_pipe_pair();
  if (rd < 0)
    return -1;
  std::jthread encoder(encode_rows, wr, 100000);
  if (!header_is(rd, expected)) {
    close(rd);
    return 1;
  }
  close(rd);
  return 0;
}

int thread_copy_ok(const char *expected)
{
  std::pair<int, int> p = make_pipe_pair();
  if (p.first < 0)
    return -1;
  auto q = p;
  std::thread t([q] { encode_rows(q.second, 100000); });
  bool ok = header_is(q.first, expected);
  close(q.first);
  t.join();
  return ok ? 0 : 1;
}

} // namespace

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  std::signal(SIGPIPE, SIG_IGN);
  const char *s = argc > 1 ? argv[1] : "";
  const char *wrong = "id,nme\n\n";
  if (std::strcmp(s, "jthread-binding") == 0)
    return jthread_binding(wrong) != 1;
  if (std::strcmp(s, "thread-member") == 0)
    return thread_member(wrong) != 1;
  if (std::strcmp(s, "thread-copy") == 0)
    return thread_copy(wrong) != 1;
  if (std::strcmp(s, "jthread-binding-ok") == 0)
    return jthread_binding_ok(wrong) != 1;
  if (std::strcmp(s, "thread-copy-ok") == 0)
    return thread_copy_ok(wrong) != 1;
  return 2;
}

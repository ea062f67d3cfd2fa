// pipe-leaked-writer in C++ with the writer's std::thread kept in a member
// of a local struct (`job.t = std::thread(...)`) rather than a variable of
// its own. The struct's destructor destroys the thread: on a path where
// nothing joined it, that calls std::terminate. Joining goes through
// helpers that take the struct by reference (`finish(Job &)`, two deep).
// The writers write 1 MiB, more than the 64 KiB a pipe holds.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S -std=c++17
// RUN: %run_example %s member-destroyed-joinable abort
// RUN: %run_example %s member-destroyed-joinable-ok exit
// RUN: %run_example %s helper-join-before-close hang
// RUN: %run_example %s close-then-helper-join exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct Job {
  std::thread t;
  int id = 0;
};

static void produce(int fd, size_t bytes) {
  write_filled(fd, 'H', 'p', bytes);
  close(fd);
}

static void finish(Job &j) { j.t.join(); }
static void finish_job(Job &j) { finish(j); }

// Reads a record whose header byte must match; the thread is kept in the
// job record and joined by the helper on the normal path only.
long read_record(char header) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Job job;
  job.t = std::thread(produce, fds[1], size_t(MIB));
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'job.t' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:11: note: std::thread 'job.t' starts here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  long n = drain(fds[0]);
  close(fds[0]);
  finish_job(job);
  return n;
}

// The helper joins before the read end is closed: the writer is blocked on
// the full pipe and the join never returns.
long check_record(char header) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Job job;
  job.t = std::thread(produce, fds[1], size_t(MIB));
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: std::thread 'job.t' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-4]]:11: note: std::thread 'job.t' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    finish_job(job);
    close(fds[0]);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  finish_job(job);
  return n;
}

// Near-miss: closed first, then joined through the helpers.
long close_then_join(char header) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  Job job;
  job.t = std::thread(produce, fds[1], size_t(MIB));
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header) {
    close(fds[0]);
    finish_job(job);
    return -1;
  }
  long n = drain(fds[0]);
  close(fds[0]);
  finish_job(job);
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (s == "member-destroyed-joinable")
    return read_record('X') != -1;
  if (s == "member-destroyed-joinable-ok")
    return read_record('H') != MIB - 1;
  if (s == "helper-join-before-close")
    return check_record('X') != -1;
  if (s == "close-then-helper-join")
    return close_then_join('X') != -1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

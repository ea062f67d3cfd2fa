// pipe-leaked-writer on exception paths: a writer std::thread that is still
// joinable when an exception from a call leaves its scope is destroyed by
// the unwinding, which calls std::terminate; the same inside a try block
// whose handler is outside the thread's scope. Each finding's scenario
// makes the call throw and aborts; the near-misses close the read end and
// join in a handler before the exception goes on, and finish.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++17
// RUN: %run_example %s helper-throws abort
// RUN: %run_example %s helper-throws-ok exit
// RUN: %run_example %s try-block abort
// RUN: %run_example %s try-block-ok exit
// RUN: %run_example %s joined-in-handler exit
// RUN: %run_example %s joined-in-handler-ok exit

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

// Writes the lines into fd, then closes it.
static void produce(int fd, const std::vector<std::string> &lines) {
  for (const std::string &l : lines)
    if (write(fd, l.data(), l.size()) < 0)
      break;
  close(fd);
}

// A line is a word and a newline.
static void check_line(const std::string &line) {
  if (line.empty() || line.back() != '\n')
    throw std::invalid_argument("unterminated line");
}

// Counts the lines a producer thread sends; a line the parser rejects
// throws out of this function.
size_t count_lines(const std::vector<std::string> &lines) {
  int fds[2];
  if (pipe(fds) < 0)
    return 0;
  std::thread producer(produce, fds[1], lines);
  std::string pending;
  size_t count = 0;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    pending.append(buf, static_cast<size_t>(n));
    size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos) {
      check_line(pending.substr(0, eol + 1));
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: std::thread 'producer' is destroyed while still joinable when an exception from 'check_line' leaves its scope here, which calls std::terminate; catch it, close the pipe's read end so that the writer fails with EPIPE, join, and rethrow [pipe-leaked-writer]
      // CHECK-MESSAGES: :[[@LINE-11]]:15: note: std::thread 'producer' starts here
      // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-5]]:12: note: the loop condition is true: entering the loop body
      pending.erase(0, eol + 1);
      ++count;
    }
  }
  if (!pending.empty())
    check_line(pending);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 'producer' is destroyed while still joinable when an exception from 'check_line' leaves its scope here, which calls std::terminate; catch it, close the pipe's read end so that the writer fails with EPIPE, join, and rethrow [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-21]]:15: note: std::thread 'producer' starts here
    // CHECK-MESSAGES: :[[@LINE-24]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  close(fds[0]);
  producer.join();
  return count;
}

// The same with the thread inside a try block and the handler outside its
// scope: unwinding destroys the thread before the handler runs.
size_t count_or_zero(const std::vector<std::string> &lines) {
  int fds[2];
  if (pipe(fds) < 0)
    return 0;
  try {
    std::thread producer(produce, fds[1], lines);
    char buf[256];
    ssize_t n;
    std::string all;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      all.append(buf, static_cast<size_t>(n));
    check_line(all);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 'producer' is destroyed while still joinable when an exception from 'check_line' leaves its scope here, which calls std::terminate; catch it, close the pipe's read end so that the writer fails with EPIPE, join, and rethrow [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:17: note: std::thread 'producer' starts here
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:12: note: the loop condition is false: leaving the loop
    close(fds[0]);
    producer.join();
    return all.size();
  } catch (const std::invalid_argument &) {
    close(fds[0]);
    return 0;
  }
}

// Near-miss: the handler closes the read end, joins, and rethrows.
size_t count_checked(const std::vector<std::string> &lines) {
  int fds[2];
  if (pipe(fds) < 0)
    return 0;
  std::thread producer(produce, fds[1], lines);
  std::string all;
  try {
    char buf[256];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      all.append(buf, static_cast<size_t>(n));
    check_line(all);
  } catch (...) {
    close(fds[0]);
    producer.join();
    throw;
  }
  close(fds[0]);
  producer.join();
  return all.size();
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  bool ok = s.size() > 3 && s.compare(s.size() - 3, 3, "-ok") == 0;
  if (ok)
    s.resize(s.size() - 3);
  std::vector<std::string> lines{"one\n", "two\n", ok ? "three\n" : "three"};
  try {
    if (s == "helper-throws")
      return count_lines(lines) == 3 ? 0 : 1;
    if (s == "try-block")
      return count_or_zero(lines) > 0 ? 0 : 1;
    if (s == "joined-in-handler")
      return count_checked(lines) > 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "caught: %s\n", e.what());
    return 0;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

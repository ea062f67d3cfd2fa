// pipe-writer-error-ignored in C++: a std::thread writer records its
// failure where the reader could look (a std::exception_ptr, a member of a
// job struct, both captured by reference) and the reader joins it and
// never looks, so the truncated output is returned as complete. The near
// misses are in near-miss.cpp (the same writers, read after the join) and
// unread-failure-flag-near-miss.cpp.
//
// Each bad scenario makes the writer really fail part-way (the middle
// segment does not exist) and exits 0 only when the reader reported
// success *and* returned just the part written before the failure. The
// "-ok" scenarios have every file and exit 0 on the whole output.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t -- -- -std=c++17 -I%S
// RUN: %run_example %s exception-ptr-unread exit
// RUN: %run_example %s exception-ptr-unread-ok exit
// RUN: %run_example %s job-member-unread exit
// RUN: %run_example %s job-member-unread-ok exit

#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

#include "Inputs/io-helpers.h"

static void drain_into(int fd, std::string &out) {
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
}

// The thread's exception is kept in an exception_ptr, never rethrown.
static std::string read_segments(const std::vector<std::string> &segments) {
  int p[2];
  if (pipe(p) < 0)
    throw std::runtime_error("pipe");
  std::exception_ptr failure;
  std::thread writer([&] {
    try {
      for (const std::string &path : segments) {
        char chunk[4096];
        ssize_t n = load_small_file(path.c_str(), chunk, sizeof chunk);
        if (n < 0)
          throw std::runtime_error("cannot read segment " + path);
        if (write_all(p[1], chunk, static_cast<std::size_t>(n)) < 0)
          break;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    close(p[1]);
  });
  std::string log;
  drain_into(p[0], log);
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: the writer records its failure in 'failure', but nothing reads 'failure' after it is joined here: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; rethrow 'failure' after the join (std::rethrow_exception) when it is set [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-19]]:15: note: the writer starts here
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: it records its failure here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-25]]:7: note: pipe created here
  writer.join();
  return log;
}

struct Job {
  int out;
  bool failed = false;
  std::size_t copied = 0;
};

// The writer sets job.failed; the reader reads job.copied, not the flag.
static bool copy_segments(const std::vector<std::string> &segments, std::string &log) {
  int p[2];
  if (pipe(p) < 0)
    return false;
  Job job;
  job.out = p[1];
  std::thread writer([&job, &segments] {
    for (const std::string &path : segments) {
      char chunk[4096];
      ssize_t n = load_small_file(path.c_str(), chunk, sizeof chunk);
      if (n < 0 || write_all(job.out, chunk, static_cast<std::size_t>(n)) < 0) {
        job.failed = true;
        break;
      }
      job.copied += static_cast<std::size_t>(n);
    }
    close(job.out);
  });
  log.clear();
  drain_into(p[0], log);
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: the writer records its failure in 'job.failed', but nothing reads 'job.failed' after it is joined here: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; test 'job.failed' after the join and report the failure [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-16]]:15: note: the writer starts here
  // CHECK-MESSAGES: :[[@LINE-12]]:9: note: it records its failure here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-23]]:7: note: pipe created here
  writer.join();
  return job.copied == log.size();
}

static std::string path_of(const char *name) {
  char buf[256];
  return fixture_path(buf, sizeof buf, name);
}

static int run(const std::string &s) {
  if (write_fixture("app.log.2", "09:00 started\n") < 0 ||
      write_fixture("app.log.0", "11:00 stopped\n") < 0)
    return 2;
  bool complete = s.size() > 3 && s.compare(s.size() - 3, 3, "-ok") == 0;
  if (complete && write_fixture("app.log.1", "10:00 busy\n") < 0)
    return 2;
  std::vector<std::string> segments = {path_of("app.log.2"), path_of("app.log.1"),
                                       path_of("app.log.0")};
  const std::string part = "09:00 started\n";
  const std::string whole = "09:00 started\n10:00 busy\n11:00 stopped\n";
  bool ok = false;
  std::string got;
  if (s.compare(0, 20, "exception-ptr-unread") == 0) {
    try {
      got = read_segments(segments);
      ok = true;
    } catch (const std::exception &e) {
      std::fprintf(stderr, "the reader reported: %s\n", e.what());
    }
  } else if (s.compare(0, 17, "job-member-unread") == 0) {
    ok = copy_segments(segments, got);
  } else {
    std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
    return 2;
  }
  if (!ok || got != (complete ? whole : part)) {
    std::fprintf(stderr, "ok=%d, output '%s'\n", ok, got.c_str());
    return 1;
  }
  if (!complete)
    std::fprintf(stderr, "the reader returned %zu bytes of truncated output as a success\n",
                 got.size());
  return 0;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (make_fixture_dir() < 0)
    return 2;
  int rc = run(argc > 1 ? argv[1] : "");
  remove_fixture_dir();
  return rc;
}

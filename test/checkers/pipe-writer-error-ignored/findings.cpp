// Positive findings of pipe-writer-error-ignored in C++: a writer task can
// fail part-way through what it writes into a pipe, and the only sign of
// the failure is out of band. The reader reads the pipe to end-of-file and
// never looks at that sign: the exception of a std::async task is stored in
// its future, and a future that is destroyed without get() waits for the
// task and throws the exception away; a std::thread writer whose failure
// path only closes the write end (exactly as its success path does) leaves
// nothing to look at. A writer that gave up half-way looks to the reader
// like one that finished, and the truncated output is returned as complete.
//
// A truncated result is not a hang or a crash, so the scenarios prove it by
// their exit status. Each bad scenario makes the writer really fail
// part-way (one of the files it copies into the pipe does not exist), calls
// the reader function, and returns 0 only when the reader reported success
// *and* what it returned is the part written before the failure: exit
// status 0 here proves the truncation went unnoticed. The "-ok" scenarios
// run the same functions with all the files there, and exit 0 when the
// whole output comes back.
//
// The check reports where the writer's failure is lost: the return where
// the future is destroyed without get(), and the return on the writer
// thread's failure path that only closes the write end; the
// CHECK-MESSAGES lines say where, with the notes on the path.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t -- -- -std=c++17 -I%S
// RUN: %run_example %s async-future-dropped exit
// RUN: %run_example %s async-future-dropped-ok exit
// RUN: %run_example %s thread-close-and-return exit
// RUN: %run_example %s thread-close-and-return-ok exit

#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

#include "Inputs/io-helpers.h"

// Reads a whole file into 'data'; false when it cannot be opened or read.
static bool load_file(const std::string &path, std::string &data) {
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0)
    return false;
  data.clear();
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    data.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return n == 0;
}

// ---- std::async: the future is destroyed without get() --------------------

// Assembles a response body from its parts, which a task copies into the
// pipe one file after the other; a part that cannot be read throws.
static std::optional<std::string> assemble_parts(const std::vector<std::string> &parts) {
  int p[2];
  if (pipe(p) < 0)
    return std::nullopt;
  auto fut = std::async(std::launch::async, [&] {
    for (const std::string &part : parts) {
      std::string chunk;
      if (!load_file(part, chunk)) {
        close(p[1]);
        throw std::runtime_error("cannot read part " + part);
      }
      if (write_all(p[1], chunk.data(), chunk.size()) < 0)
        break;
    }
    close(p[1]);
  });
  std::string body;
  char buf[4096];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    body.append(buf, static_cast<std::size_t>(n));
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: the future 'fut' of std::async is destroyed here without get(): if its task fails part-way (throws or returns an error), the reader of 'p[0]' sees a clean end-of-file and uses the output as if complete; call 'fut.get()' after reading to end-of-file [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-19]]:14: note: the task of 'fut' starts here
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-23]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:10: note: the loop condition is false: leaving the loop
  return body;
}

// ---- std::thread: the failure path only closes the write end --------------

// Reads the rotated segments of a log (oldest first), which a thread
// streams through a pipe; each segment is a small file. Returns the log.
static bool read_segments(const std::vector<std::string> &segments, std::string &log) {
  int p[2];
  if (pipe(p) < 0)
    return false;
  std::thread writer([&] {
    for (const std::string &path : segments) {
      char chunk[4096];
      ssize_t n = load_small_file(path.c_str(), chunk, sizeof chunk);
      bool source_ok = n >= 0;
      if (write_all(p[1], chunk, source_ok ? static_cast<std::size_t>(n) : 0) < 0 || !source_ok) {
        close(p[1]);
        // CHECK-MESSAGES: :[[@LINE+6]]:9: warning: the writer's error path only closes its end and returns, as its success path does: the reader of 'p[0]' sees a clean end-of-file and cannot tell a failed write from a complete stream; record the failure where the reader checks it after the join (a status it returns or sets, an error marker in the stream) [pipe-writer-error-ignored]
        // CHECK-MESSAGES: :[[@LINE-8]]:15: note: the writer starts here
        // CHECK-MESSAGES: :[[@LINE+12]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
        // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
        // CHECK-MESSAGES: :[[@LINE+13]]:3: note: the writer is joined here without learning how it ended
        // CHECK-MESSAGES: :[[@LINE+9]]:10: note: the loop condition is false: leaving the loop
        return;
      }
    }
    close(p[1]);
  });
  log.clear();
  char buf[4096];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    log.append(buf, static_cast<std::size_t>(n));
  close(p[0]);
  writer.join();
  return true;
}

// ---- scenarios -------------------------------------------------------------

static std::string path_of(const char *name) {
  char buf[256];
  return fixture_path(buf, sizeof buf, name);
}

// 0 when the reader said "success" and returned exactly the part the
// writer wrote before it failed: the truncation went unnoticed.
static int accepted_truncated(bool ok, const std::string &got, const std::string &part) {
  if (!ok) {
    std::fprintf(stderr, "the reader reported the writer's failure\n");
    return 1;
  }
  if (got != part) {
    std::fprintf(stderr, "unexpected output: '%s'\n", got.c_str());
    return 1;
  }
  std::fprintf(stderr, "the reader returned %zu bytes of truncated output as a success\n",
               got.size());
  return 0;
}

// 0 when the reader returned the whole output.
static int got_complete(bool ok, const std::string &got, const std::string &whole) {
  if (!ok || got != whole) {
    std::fprintf(stderr, "ok=%d, output '%s'\n", ok, got.c_str());
    return 1;
  }
  return 0;
}

static int run(const std::string &s) {
  if (write_fixture("part-1.html", "<html><body>\n") < 0 ||
      write_fixture("part-3.html", "</body></html>\n") < 0 ||
      write_fixture("app.log.2", "09:00 started\n") < 0 ||
      write_fixture("app.log.0", "11:00 stopped\n") < 0)
    return 2;
  std::vector<std::string> parts = {path_of("part-1.html"), path_of("part-2.html"),
                                    path_of("part-3.html")};
  std::vector<std::string> segments = {path_of("app.log.2"), path_of("app.log.1"),
                                       path_of("app.log.0")};

  if (s == "async-future-dropped") {
    // part-2.html does not exist: the task copies part 1, then throws.
    std::optional<std::string> body = assemble_parts(parts);
    return accepted_truncated(body.has_value(), body.value_or(""), "<html><body>\n");
  }
  if (s == "async-future-dropped-ok") {
    if (write_fixture("part-2.html", "<p>hello</p>\n") < 0)
      return 2;
    std::optional<std::string> body = assemble_parts(parts);
    return got_complete(body.has_value(), body.value_or(""),
                        "<html><body>\n<p>hello</p>\n</body></html>\n");
  }
  if (s == "thread-close-and-return") {
    // app.log.1 does not exist: the writer streams app.log.2 and gives up.
    std::string log;
    bool ok = read_segments(segments, log);
    return accepted_truncated(ok, log, "09:00 started\n");
  }
  if (s == "thread-close-and-return-ok") {
    if (write_fixture("app.log.1", "10:00 busy\n") < 0)
      return 2;
    std::string log;
    bool ok = read_segments(segments, log);
    return got_complete(ok, log, "09:00 started\n10:00 busy\n11:00 stopped\n");
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

int main(int argc, char **argv) {
  // A write to a pipe whose read end is closed then fails with EPIPE instead
  // of killing the process, as in any program that pipes between threads.
  std::signal(SIGPIPE, SIG_IGN);
  if (make_fixture_dir() < 0)
    return 2;
  int rc = run(argc > 1 ? argv[1] : "");
  remove_fixture_dir();
  return rc;
}

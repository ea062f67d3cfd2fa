// C++ readers of a pipe whose writer task can fail part-way, done right:
// the writer's failure reaches the reader, which reports it instead of
// returning the truncated output as complete. The future of std::async is
// get() after the pipe is drained, so the task's exception propagates (or
// its bool result is checked); a std::thread writer stores its exception in
// a std::exception_ptr, or clears a bool ok, captured by reference, and the
// reader rethrows it or checks it after the join.
// pipe-writer-error-ignored must not report anything here.
//
// Each scenario without "-ok" makes the writer really fail part-way (one of
// the files it copies into the pipe does not exist), calls the reader
// function, and exits 0 when it DID report the failure (by an exception or
// by its result). The "-ok" scenarios run the same functions with all the
// files there, and exit 0 when the whole output comes back.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t -- -- -std=c++17 -I%S
// RUN: %run_example %s async-get-after-drain exit
// RUN: %run_example %s async-get-after-drain-ok exit
// RUN: %run_example %s async-bool-result exit
// RUN: %run_example %s async-bool-result-ok exit
// RUN: %run_example %s thread-exception-ptr exit
// RUN: %run_example %s thread-exception-ptr-ok exit
// RUN: %run_example %s thread-ok-flag exit
// RUN: %run_example %s thread-ok-flag-ok exit

#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
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

// Appends everything up to end-of-file on fd to 'out'.
static void drain_into(int fd, std::string &out) {
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
}

// ---- std::async: get() after the drain, the exception propagates ----------

// Assembles a response body from its parts, which a task copies into the
// pipe one file after the other; a part that cannot be read throws, and
// the exception reaches the caller through fut.get().
static std::string assemble_parts(const std::vector<std::string> &parts) {
  int p[2];
  if (pipe(p) < 0)
    throw std::runtime_error("pipe");
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
  fut.get();
  return body;
}

// ---- std::async: the task's bool result is checked ------------------------

// The same, but the task reports a failure as its result.
static std::optional<std::string> assemble_parts_checked(const std::vector<std::string> &parts) {
  int p[2];
  if (pipe(p) < 0)
    return std::nullopt;
  std::future<bool> copied = std::async(std::launch::async, [&parts, w = p[1]] {
    for (const std::string &part : parts) {
      std::string chunk;
      if (!load_file(part, chunk)) {
        close(w);
        return false;
      }
      if (write_all(w, chunk.data(), chunk.size()) < 0)
        break;
    }
    close(w);
    return true;
  });
  std::string body;
  drain_into(p[0], body);
  close(p[0]);
  if (!copied.get())
    return std::nullopt;
  return body;
}

// ---- std::thread: the exception is handed over in an exception_ptr --------

// Reads the rotated segments of a log (oldest first), which a thread
// streams through a pipe; a segment that cannot be read throws from the
// thread, and is rethrown here after the join.
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
  writer.join();
  if (failure)
    std::rethrow_exception(failure);
  return log;
}

// ---- std::thread: a bool ok captured by reference -------------------------

// The same, with the failure path of the earlier findings kept as it was,
// but noting the failure in 'ok', which the reader checks after the join.
static bool read_segments_checked(const std::vector<std::string> &segments, std::string &log) {
  int p[2];
  if (pipe(p) < 0)
    return false;
  bool ok = true;
  std::thread writer([&] {
    for (const std::string &path : segments) {
      char chunk[4096];
      ssize_t n = load_small_file(path.c_str(), chunk, sizeof chunk);
      bool source_ok = n >= 0;
      if (write_all(p[1], chunk, source_ok ? static_cast<std::size_t>(n) : 0) < 0 || !source_ok) {
        ok = false;
        close(p[1]);
        return;
      }
    }
    close(p[1]);
  });
  log.clear();
  drain_into(p[0], log);
  close(p[0]);
  writer.join();
  return ok;
}

// ---- scenarios -------------------------------------------------------------

static std::string path_of(const char *name) {
  char buf[256];
  return fixture_path(buf, sizeof buf, name);
}

// 0 when the reader reported the writer's failure.
static int reported_failure(bool ok, const std::string &got) {
  if (ok) {
    std::fprintf(stderr, "the reader returned %zu bytes as a success: '%s'\n", got.size(),
                 got.c_str());
    return 1;
  }
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
  // The "-ok" scenarios have all the files; the others miss the middle one.
  bool complete = s.size() > 3 && s.compare(s.size() - 3, 3, "-ok") == 0;
  if (complete && (write_fixture("part-2.html", "<p>hello</p>\n") < 0 ||
                   write_fixture("app.log.1", "10:00 busy\n") < 0))
    return 2;
  std::vector<std::string> parts = {path_of("part-1.html"), path_of("part-2.html"),
                                    path_of("part-3.html")};
  std::vector<std::string> segments = {path_of("app.log.2"), path_of("app.log.1"),
                                       path_of("app.log.0")};
  const std::string whole_body = "<html><body>\n<p>hello</p>\n</body></html>\n";
  const std::string whole_log = "09:00 started\n10:00 busy\n11:00 stopped\n";

  if (s == "async-get-after-drain" || s == "async-get-after-drain-ok" ||
      s == "thread-exception-ptr" || s == "thread-exception-ptr-ok") {
    bool async = s.compare(0, 5, "async") == 0;
    std::string got;
    try {
      got = async ? assemble_parts(parts) : read_segments(segments);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "the reader reported: %s\n", e.what());
      return complete ? 1 : 0;
    }
    return complete ? got_complete(true, got, async ? whole_body : whole_log)
                    : reported_failure(true, got);
  }
  if (s == "async-bool-result" || s == "async-bool-result-ok") {
    std::optional<std::string> body = assemble_parts_checked(parts);
    return complete ? got_complete(body.has_value(), body.value_or(""), whole_body)
                    : reported_failure(body.has_value(), body.value_or(""));
  }
  if (s == "thread-ok-flag" || s == "thread-ok-flag-ok") {
    std::string log;
    bool ok = read_segments_checked(segments, log);
    return complete ? got_complete(ok, log, whole_log) : reported_failure(ok, log);
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

// pipe-writer-error-ignored with the std::async future returned by value
// from the helper that starts the writer: a member function of a struct
// starts it, a free function passes the future on (two deep), and the
// reader keeps it in a local variable, reads the pipe to end-of-file and
// lets the future go without get(). The writer copies records into the
// pipe and throws part-way when it meets a bad one; the exception dies with
// the future, and the reader returns the records before it as the whole
// table. The bad scenario exits 0 only when that happened; the "-ok"
// scenario, with no bad record, exits 0 when every record came back. The
// near-miss reader calls get() and sees the failure.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t -- -- -std=c++17 -I%S
// RUN: %run_example %s dropped exit
// RUN: %run_example %s dropped-ok exit
// RUN: %run_example %s checked exit

#include <cstdio>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "Inputs/io-helpers.h"

struct TableWriter {
  std::vector<std::string> rows;
  // Writes every row, one per line; a row "!" cannot be exported.
  std::future<void> begin(int fd) {
    std::vector<std::string> copy = rows;
    return std::async(std::launch::async, [fd, copy] {
      for (const std::string &r : copy) {
        if (r == "!") {
          close(fd);
          throw std::runtime_error("row cannot be exported");
        }
        std::string line = r + "\n";
        if (write_all(fd, line.data(), line.size()) < 0)
          break;
      }
      close(fd);
    });
  }
};

static std::future<void> start_export(TableWriter &w, int fd) {
  return w.begin(fd);
}

// Returns the exported lines.
static std::vector<std::string> export_lines(TableWriter &w) {
  int p[2];
  if (pipe(p) < 0)
    return {};
  std::future<void> done = start_export(w, p[1]);
  std::string all;
  char buf[256];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    all.append(buf, static_cast<size_t>(n));
  close(p[0]);
  std::vector<std::string> lines;
  size_t at = 0, nl;
  while ((nl = all.find('\n', at)) != std::string::npos) {
    lines.push_back(all.substr(at, nl - at));
    at = nl + 1;
  }
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: the future 'done' of std::async is destroyed here without get(): if its task fails part-way (throws or returns an error), the reader of 'p[0]' sees a clean end-of-file and uses the output as if complete; call 'done.get()' after reading to end-of-file [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-14]]:28: note: the task of 'done' starts here
  // CHECK-MESSAGES: :[[@LINE-11]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-8]]:10: note: the loop condition is false: leaving the loop
  return lines;
}

// The same reader, which asks the future how the export ended.
static bool export_checked(TableWriter &w, std::vector<std::string> &lines) {
  int p[2];
  if (pipe(p) < 0)
    return false;
  std::future<void> done = start_export(w, p[1]);
  std::string all;
  char buf[256];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    all.append(buf, static_cast<size_t>(n));
  close(p[0]);
  try {
    done.get();
  } catch (const std::exception &) {
    return false;
  }
  size_t at = 0, nl;
  while ((nl = all.find('\n', at)) != std::string::npos) {
    lines.push_back(all.substr(at, nl - at));
    at = nl + 1;
  }
  return true;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  TableWriter bad{{"a", "b", "!", "d"}}, good{{"a", "b", "c", "d"}};
  if (s == "dropped")
    return export_lines(bad).size() == 2 ? 0 : 1;
  if (s == "dropped-ok")
    return export_lines(good).size() == 4 ? 0 : 1;
  if (s == "checked") {
    std::vector<std::string> lines;
    return export_checked(bad, lines) ? 1 : 0;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

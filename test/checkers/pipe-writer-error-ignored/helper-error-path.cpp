// pipe-writer-error-ignored (issue 17): the writer thread's silent error
// path is in a function it calls, not in its own body: a member function
// of a sink object, and a free helper two calls deep. Each returns nothing,
// so the writer cannot tell, and neither can the reader: on a failed
// source the helper closes the write end and returns, the reader sees a
// clean end-of-file and takes the truncated stream for the whole one.
//
// Each scenario exits 0 only when the reader reported success with just
// the part written before the failure. The near miss's sink records the
// failure in a member that the reader checks after the join, and its
// scenario exits 0 when the reader reports the failure.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s member exit
// RUN: %run_example %s free-helper exit
// RUN: %run_example %s recorded exit

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

#include "Inputs/io-helpers.h"

static const char kPart[] = "part one\n";

// A source that fails after its first part.
static bool next_part(int i, std::string &out)
{
  if (i > 0)
    return false;
  out = kPart;
  return true;
}

class Sink {
public:
  void send_all(int fd)
  {
    for (int i = 0; i < 3; i++) {
      std::string part;
      if (!next_part(i, part)) {
        close(fd);
        return;
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: the writer's error path only closes its end and returns, as its success path does: the reader of 'p[0]' sees a clean end-of-file and cannot tell a failed write from a complete stream; record the failure where the reader checks it after the join (a status it returns or sets, an error marker in the stream) [pipe-writer-error-ignored]
        // CHECK-MESSAGES: :[[@LINE+28]]:15: note: the writer starts here
        // CHECK-MESSAGES: :[[@LINE+27]]:28: note: the writer calls 'send_all' here, which returns nothing it could test
        // CHECK-MESSAGES: :[[@LINE+27]]:9: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
        // CHECK-MESSAGES: :[[@LINE+22]]:7: note: pipe created here
        // CHECK-MESSAGES: :[[@LINE+27]]:3: note: the writer is joined here without learning how it ended
      }
      write_all(fd, part.data(), part.size());
    }
    close(fd);
  }
};

static std::string read_all(int fd)
{
  std::string all;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    all.append(buf, static_cast<std::size_t>(n));
  return all;
}

bool via_member(std::string &out)
{
  int p[2];
  if (pipe(p) < 0)
    return false;
  Sink sink;
  std::thread writer([&] { sink.send_all(p[1]); });
  out = read_all(p[0]);
  close(p[0]);
  writer.join();
  return true;
}

static void copy_parts(int fd)
{
  for (int i = 0; i < 3; i++) {
    std::string part;
    if (!next_part(i, part)) {
      close(fd);
      return;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the writer's error path only closes its end and returns, as its success path does: the reader of 'p[0]' sees a clean end-of-file and cannot tell a failed write from a complete stream; record the failure where the reader checks it after the join (a status it returns or sets, an error marker in the stream) [pipe-writer-error-ignored]
      // CHECK-MESSAGES: :[[@LINE+21]]:15: note: the writer starts here
      // CHECK-MESSAGES: :[[@LINE+20]]:28: note: the writer calls 'produce' here, which returns nothing it could test
      // CHECK-MESSAGES: :[[@LINE+20]]:9: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
      // CHECK-MESSAGES: :[[@LINE+16]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE+20]]:3: note: the writer is joined here without learning how it ended
    }
    write_all(fd, part.data(), part.size());
  }
  close(fd);
}

static void produce(int fd)
{
  copy_parts(fd);
}

bool via_free_helper(std::string &out)
{
  int p[2];
  if (pipe(p) < 0)
    return false;
  std::thread writer([&] { produce(p[1]); });
  out = read_all(p[0]);
  close(p[0]);
  writer.join();
  return true;
}

// Near miss: the sink records the failure; the reader checks it.
class RecordingSink {
public:
  void send_all(int fd)
  {
    for (int i = 0; i < 3; i++) {
      std::string part;
      if (!next_part(i, part)) {
        failed_ = true;
        close(fd);
        return;
      }
      write_all(fd, part.data(), part.size());
    }
    close(fd);
  }
  bool failed() const { return failed_; }

private:
  bool failed_ = false;
};

bool recorded(std::string &out)
{
  int p[2];
  if (pipe(p) < 0)
    return false;
  RecordingSink sink;
  std::thread writer([&] { sink.send_all(p[1]); });
  out = read_all(p[0]);
  close(p[0]);
  writer.join();
  return !sink.failed();
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";
  std::string out;
  if (s == "member")
    return via_member(out) && out == kPart ? 0 : 1;
  if (s == "free-helper")
    return via_free_helper(out) && out == kPart ? 0 : 1;
  if (s == "recorded")
    return !recorded(out) ? 0 : 1;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// Positive findings of pipe-self-deadlock for Boost pipes: Boost.Asio's
// readable_pipe / writable_pipe, Boost.Process v1's pipe, pstream, ipstream,
// opstream and async_pipe, and a Boost.Process v2 child whose stdout pipe
// the parent keeps writable. Each function misuses one Boost API on one
// thread; its scenario takes that path and hangs. The hangs the check does
// not report say why next to the statement that hangs. Everything here is
// header-only; no extra link flags are needed.
//
// REQUIRES: boost
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17
// RUN: %run_example %s asio-read hang
// RUN: %run_example %s asio-write-block hang
// RUN: %run_example %s process-pipe-write-block hang
// RUN: %run_example %s asio-write-large hang
// RUN: %run_example %s asio-read-to-eof hang
// RUN: %run_example %s asio-read-some hang
// RUN: %run_example %s asio-write-some-large hang
// RUN: %run_example %s process-pipe-read hang
// RUN: %run_example %s process-pipe-write-large hang
// RUN: %run_example %s process-pstream-getline hang
// RUN: %run_example %s process-ipstream-getline hang
// RUN: %run_example %s process-opstream-spool hang
// RUN: %run_example %s process-async-pipe-read-to-eof hang
// RUN: %run_example %s process-v2-stdout-write-end hang

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/v2.hpp>

namespace asio = boost::asio;
namespace bp = boost::process;
namespace v2 = boost::process::v2;

// ---- Boost.Asio --------------------------------------------------------------

// Waits for the one-byte token that says the service is ready. Nothing ever
// writes 'ready_w', and this thread holds its only copy, so the read waits.
bool await_ready_token(asio::io_context &ctx) {
  asio::readable_pipe ready_r(ctx);
  asio::writable_pipe ready_w(ctx);
  asio::connect_pipe(ready_r, ready_w);
  char token = 0;
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: read from 'ready_r' blocks forever: this thread holds the only write end 'ready_w' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: pipe created here
  asio::read(ready_r, asio::buffer(&token, 1));
  return token == 'R';
}

// Checks that a snapshot survives a trip through a pipe. asio::write does not
// return until all 100000 bytes are in, but the pipe holds 65536.
bool roundtrip_snapshot(asio::io_context &ctx, const std::vector<char> &snapshot) {
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  // Hangs, but not reported: the amount, asio::buffer(snapshot), is a vector's size the check cannot see (stage_block below, with a fixed-size block, is reported).
  asio::write(w, asio::buffer(snapshot));
  std::vector<char> copy(snapshot.size());
  asio::read(r, asio::buffer(copy));
  return copy == snapshot;
}

// Collects log lines through a pipe. asio::read into a dynamic buffer with
// transfer_all only stops at end-of-file, which needs 'w' to be closed.
std::string collect_log(asio::io_context &ctx, const std::vector<std::string> &lines) {
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  for (const std::string &line : lines)
    asio::write(w, asio::buffer(line + "\n"));
  std::string log;
  boost::system::error_code ec;
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: reading 'r' until end-of-file never ends: this process still holds the write end 'w'; close 'w' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: pipe created here
  asio::read(r, asio::dynamic_buffer(log), asio::transfer_all(), ec);
  return ec == asio::error::eof ? log : std::string();
}

// Reads the next command from a control pipe with the member read_some; the
// control pipe was never handed to anyone who writes commands.
std::string next_command(asio::io_context &ctx) {
  asio::readable_pipe control_r(ctx);
  asio::writable_pipe control_w(ctx);
  asio::connect_pipe(control_r, control_w);
  char buf[128];
  // CHECK-MESSAGES: :[[@LINE+2]]:19: warning: read from 'control_r' blocks forever: this thread holds the only write end 'control_w' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: pipe created here
  std::size_t n = control_r.read_some(asio::buffer(buf));
  return std::string(buf, n);
}

// Member write_some on a blocking pipe: the kernel write does not return
// until all 100000 bytes are in, and the pipe holds 65536.
std::size_t echo_frame(asio::io_context &ctx, const std::vector<char> &frame) {
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  // Hangs, but not reported: the amount is a vector's size the check cannot see.
  std::size_t sent = w.write_some(asio::buffer(frame));
  std::vector<char> back(frame.size());
  std::size_t got = 0;
  while (got < sent)
    got += r.read_some(asio::buffer(back.data() + got, sent - got));
  return got;
}

// ---- Boost.Process v1 --------------------------------------------------------

// Reads a wake-up byte from a bp::pipe. bp::pipe holds both ends, and this
// thread never writes to its sink.
int read_wakeup(bp::pipe &wakeup) {
  char c = 0;
  // Hangs, but not reported: the pipe comes from the caller; the check sees one function at a time.
  int n = wakeup.read(&c, 1);
  return n == 1 ? c : -1;
}

int wait_for_wakeup() {
  bp::pipe wakeup;
  return read_wakeup(wakeup);
}

// Copies a record through a bp::pipe. basic_pipe::write is one blocking
// write(2) of 100000 bytes, which waits for room that only a reader makes.
bool copy_record(const std::vector<char> &record) {
  bp::pipe p;
  // Hangs, but not reported: the amount is a vector's size the check cannot see (relay_block below, with a fixed size, is reported).
  p.write(record.data(), static_cast<int>(record.size()));
  std::vector<char> copy(record.size());
  int got = 0;
  while (got < static_cast<int>(copy.size()))
    got += p.read(copy.data() + got, static_cast<int>(copy.size()) - got);
  return copy == record;
}

// Splits text into records by sending it through a pstream. The pstream
// holds the pipe's write end too, so getline never sees end-of-file.
std::vector<std::string> split_records(const std::string &text) {
  bp::pstream buffer;
  buffer << text << std::flush;
  std::vector<std::string> records;
  std::string line;
  // CHECK-MESSAGES: :[[@LINE+2]]:10: warning: reading 'buffer' until end-of-file never ends: this process still holds the write end 'buffer.pipe().native_sink()'; close 'buffer.pipe().native_sink()' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: pipe created here
  while (std::getline(buffer, line))
    records.push_back(line);
  return records;
}

// Reads the first line of a banner from an ipstream that no child was ever
// attached to: the ipstream's own, fresh pipe still has its write end.
std::string read_banner() {
  bp::ipstream banner;
  std::string line;
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: read from 'banner' blocks forever: this thread holds the only write end 'banner.pipe().native_sink()' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: pipe created here
  std::getline(banner, line);
  return line;
}

// Spools a report into an opstream and only then starts 'wc -c' to read it.
// The opstream writes its 1024-byte buffer out as it fills, and the pipe is
// full after 65536 bytes, long before the reader exists.
std::string count_report_bytes(const std::string &report) {
  bp::opstream spool;
  // Hangs, but not reported: the reader is the child started after the write, not this thread: a write before the reader exists, not a self-deadlock.
  spool << report << std::flush;
  bp::ipstream counted;
  bp::child wc("/usr/bin/wc", "-c", bp::std_in < spool, bp::std_out > counted);
  spool.pipe().close();
  std::string line;
  std::getline(counted, line);
  wc.wait();
  return line;
}

// Echoes a message through an async_pipe with the synchronous asio::read;
// async_pipe owns the sink as well, so end-of-file never comes.
std::string echo_message(const std::string &message) {
  asio::io_context ctx;
  bp::async_pipe ap(ctx);
  asio::write(ap, asio::buffer(message));
  std::string echoed;
  boost::system::error_code ec;
  // CHECK-MESSAGES: :[[@LINE+2]]:3: warning: reading 'ap' until end-of-file never ends: this process still holds the write end 'ap.native_sink()'; close 'ap.native_sink()' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:18: note: pipe created here
  asio::read(ap, asio::dynamic_buffer(echoed), ec);
  return echoed;
}

// ---- Boost.Process v2 --------------------------------------------------------

// Runs a program and captures its stdout. The caller made the pipe with
// connect_pipe and gave the child 'out_w'; process_stdio only dup2()s it in
// the child, so the parent's 'out_w' stays open after the child exits.
std::string capture_stdout(asio::io_context &ctx, const std::string &exe,
                           const std::vector<std::string> &args) {
  asio::readable_pipe out_r(ctx);
  asio::writable_pipe out_w(ctx);
  asio::connect_pipe(out_r, out_w);
  v2::process child(ctx, exe, args, v2::process_stdio{{}, out_w, {}});
  std::string out;
  boost::system::error_code ec;
  asio::read(out_r, asio::dynamic_buffer(out), ec);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: reading 'out_r' until end-of-file never ends: this process still holds the write end 'out_w'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'out_w' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: pipe created here
  child.wait();
  return out;
}

// Stages a fixed-size block through a pipe and reads it back: the write
// does not return until all 100000 bytes are in, and the pipe holds 65536.
bool stage_block(asio::io_context &ctx) {
  static char block[100000];
  static char back[100000];
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  asio::write(w, asio::buffer(block));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 100000 bytes to 'w' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  asio::read(r, asio::buffer(back));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: pipe created here
  return back[0] == block[0];
}

// The same with a Boost.Process pipe, which holds both ends itself.
int relay_block() {
  static char block[100000];
  bp::pipe p;
  p.write(block, static_cast<int>(sizeof block));
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 100000 bytes to 'p.native_sink()' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  return p.read(block, static_cast<int>(sizeof block));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: pipe created here
}

// ---- scenarios ---------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  asio::io_context ctx;
  std::vector<char> big(100000, 'x');
  if (s == "asio-read")
    return !await_ready_token(ctx);
  if (s == "asio-write-block")
    return !stage_block(ctx);
  if (s == "process-pipe-write-block")
    return relay_block() != 0;
  if (s == "asio-write-large")
    return !roundtrip_snapshot(ctx, big);
  if (s == "asio-read-to-eof")
    return collect_log(ctx, {"started", "stopped"}) != "started\nstopped\n";
  if (s == "asio-read-some")
    return next_command(ctx).empty();
  if (s == "asio-write-some-large")
    return echo_frame(ctx, big) != big.size();
  if (s == "process-pipe-read")
    return wait_for_wakeup() != 'w';
  if (s == "process-pipe-write-large")
    return !copy_record(big);
  if (s == "process-pstream-getline")
    return split_records("a\nb\n").size() != 2;
  if (s == "process-ipstream-getline")
    return read_banner().empty();
  if (s == "process-opstream-spool")
    return count_report_bytes(std::string(100000, 'r')) != "100000";
  if (s == "process-async-pipe-read-to-eof")
    return echo_message("ping\n") != "ping\n";
  if (s == "process-v2-stdout-write-end")
    return capture_stdout(ctx, "/bin/echo", {"hello"}) != "hello\n";
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

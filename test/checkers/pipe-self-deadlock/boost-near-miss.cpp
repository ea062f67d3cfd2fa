// Boost pipes used without blocking the thread that uses them: the writer
// runs on another std::thread, the write is a wake-up byte that fits, the
// read is asynchronous with a deadline, the write end is closed before the
// read to end-of-file, or a child process gets the write end and the
// library closes the parent's copy. pipe-self-deadlock must not report
// anything here. Every scenario terminates.
//
// REQUIRES: boost
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -std=c++17
// The objects close their ends when destroyed: nothing is left open either.
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t-unclosed -- -- -std=c++17
// RUN: %run_example %s asio-writer-thread exit
// RUN: %run_example %s asio-wakeup-byte exit
// RUN: %run_example %s asio-async-deadline exit
// RUN: %run_example %s asio-close-before-eof exit
// RUN: %run_example %s process-pipe-wakeup-byte exit
// RUN: %run_example %s process-ipstream-child exit
// RUN: %run_example %s process-opstream-child exit
// RUN: %run_example %s process-v2-library-pipe exit
// RUN: %run_example %s process-v2-close-after-launch exit

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/process.hpp>
#include <boost/process/v2.hpp>

namespace asio = boost::asio;
namespace bp = boost::process;
namespace v2 = boost::process::v2;

// ---- Boost.Asio --------------------------------------------------------------

// Fetches a report larger than the pipe holds: a writer thread writes it
// and closes its end, while this thread reads it up to end-of-file.
std::size_t fetch_report(asio::io_context &ctx, const std::string &report) {
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  std::thread writer([&w, &report] {
    asio::write(w, asio::buffer(report));
    w.close();
  });
  std::string text;
  boost::system::error_code ec;
  asio::read(r, asio::dynamic_buffer(text), ec);
  writer.join();
  return ec == asio::error::eof ? text.size() : 0;
}

// Wakes itself up: one byte fits in the pipe, so the write returns and the
// read finds the byte.
char notify_self(asio::io_context &ctx) {
  asio::readable_pipe wake_r(ctx);
  asio::writable_pipe wake_w(ctx);
  asio::connect_pipe(wake_r, wake_w);
  char c = 'w';
  asio::write(wake_w, asio::buffer(&c, 1));
  c = 0;
  asio::read(wake_r, asio::buffer(&c, 1));
  return c;
}

// Polls a control pipe for a command without blocking: readable_pipe has no
// non_blocking() in Boost 1.81, so the read is asynchronous and the
// io_context runs for at most 'timeout'; then the read is cancelled.
std::string poll_command(asio::io_context &ctx, std::chrono::milliseconds timeout) {
  asio::readable_pipe control_r(ctx);
  asio::writable_pipe control_w(ctx);
  asio::connect_pipe(control_r, control_w);
  char buf[128];
  std::size_t got = 0;
  boost::system::error_code result = asio::error::would_block;
  control_r.async_read_some(asio::buffer(buf),
                            [&](const boost::system::error_code &ec, std::size_t n) {
                              result = ec;
                              got = n;
                            });
  ctx.run_for(timeout);
  if (result == asio::error::would_block) {
    control_r.cancel();
    ctx.restart();
    ctx.run();
  }
  return result ? std::string() : std::string(buf, got);
}

// Writes the lines, closes the write end, then reads everything back to
// end-of-file.
std::string roundtrip_lines(asio::io_context &ctx, const std::vector<std::string> &lines) {
  asio::readable_pipe r(ctx);
  asio::writable_pipe w(ctx);
  asio::connect_pipe(r, w);
  for (const std::string &line : lines)
    asio::write(w, asio::buffer(line + "\n"));
  w.close();
  std::string text;
  boost::system::error_code ec;
  asio::read(r, asio::dynamic_buffer(text), ec);
  return text;
}

// ---- Boost.Process v1 --------------------------------------------------------

// A wake-up byte through a bp::pipe: it fits, so write and read both return.
int self_wakeup() {
  bp::pipe wakeup;
  char c = 'w';
  wakeup.write(&c, 1);
  c = 0;
  return wakeup.read(&c, 1) == 1 ? c : -1;
}

// Lists the lines a child prints. 'std_out > listing' gives the child the
// write end and closes the parent's copy after the launch, so getline sees
// end-of-file when the child exits.
std::vector<std::string> list_lines(const std::string &text) {
  bp::ipstream listing;
  bp::child printer("/usr/bin/printf", "%s", text, bp::std_out > listing);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(listing, line))
    lines.push_back(line);
  printer.wait();
  return lines;
}

// Feeds lines to 'cat' and reads them back. 'std_in < input' closes the
// parent's read end only; the parent closes the write end itself with
// input.pipe().close() (input.close() only flushes, in Boost 1.81) so that
// cat sees end-of-file and exits.
std::string through_cat(const std::vector<std::string> &lines) {
  bp::opstream input;
  bp::ipstream output;
  bp::child cat("/bin/cat", bp::std_in < input, bp::std_out > output);
  for (const std::string &line : lines)
    input << line << '\n';
  input.flush();
  input.pipe().close();
  std::string text, line;
  while (std::getline(output, line))
    text += line + "\n";
  cat.wait();
  return text;
}

// ---- Boost.Process v2 --------------------------------------------------------

// Captures a child's stdout by passing the readable_pipe itself: process_stdio
// makes the pipe, and its write end is closed in the parent once the
// process_stdio temporary is gone, so the read ends at the child's exit.
std::string capture_stdout(asio::io_context &ctx, const std::string &exe,
                           const std::vector<std::string> &args) {
  asio::readable_pipe out(ctx);
  v2::process child(ctx, exe, args, v2::process_stdio{{}, out, {}});
  std::string text;
  boost::system::error_code ec;
  asio::read(out, asio::dynamic_buffer(text), ec);
  child.wait();
  return text;
}

// Like capture_stdout, with a pipe made by connect_pipe: the parent closes
// its write end right after the launch.
std::string capture_stdout_connected(asio::io_context &ctx, const std::string &exe,
                                     const std::vector<std::string> &args) {
  asio::readable_pipe out_r(ctx);
  asio::writable_pipe out_w(ctx);
  asio::connect_pipe(out_r, out_w);
  v2::process child(ctx, exe, args, v2::process_stdio{{}, out_w, {}});
  out_w.close();
  std::string text;
  boost::system::error_code ec;
  asio::read(out_r, asio::dynamic_buffer(text), ec);
  child.wait();
  return text;
}

// ---- scenarios ---------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  asio::io_context ctx;
  if (s == "asio-writer-thread")
    return fetch_report(ctx, std::string(100000, 'x')) != 100000;
  if (s == "asio-wakeup-byte")
    return notify_self(ctx) != 'w';
  if (s == "asio-async-deadline")
    return !poll_command(ctx, std::chrono::milliseconds(50)).empty();
  if (s == "asio-close-before-eof")
    return roundtrip_lines(ctx, {"a", "b"}) != "a\nb\n";
  if (s == "process-pipe-wakeup-byte")
    return self_wakeup() != 'w';
  if (s == "process-ipstream-child")
    return list_lines("one\ntwo\n") != std::vector<std::string>{"one", "two"};
  if (s == "process-opstream-child")
    return through_cat({"x", "y"}) != "x\ny\n";
  if (s == "process-v2-library-pipe")
    return capture_stdout(ctx, "/bin/echo", {"hello"}) != "hello\n";
  if (s == "process-v2-close-after-launch")
    return capture_stdout_connected(ctx, "/bin/echo", {"hello"}) != "hello\n";
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

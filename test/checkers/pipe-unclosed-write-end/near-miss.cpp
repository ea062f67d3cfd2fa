// C++ code that handles pipe write ends correctly, or hands them to someone
// the check cannot see (an RAII object, a lambda, a thread, a member of
// 'this'): pipe-unclosed-write-end must not report anything here, nor in the
// included header. Every scenario terminates: the readers see end-of-file.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -header-filter=.* -- -std=c++17 -I %S
// RUN: %run_example %s raii exit
// RUN: %run_example %s raii-early exit
// RUN: %run_example %s lambda-capture exit
// RUN: %run_example %s lambda-capture-early exit
// RUN: %run_example %s thread-argument exit
// RUN: %run_example %s member exit
// RUN: %run_example %s template exit
// RUN: %run_example %s std-array exit
// RUN: %run_example %s std-array-early exit
// RUN: %run_example %s catch-rethrow exit
// RUN: %run_example %s stdio-deleter exit
// RUN: %run_example %s header exit
// RUN: %run_example %s binding exit
// RUN: %run_example %s binding-ref exit

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

#include "Inputs/pipe-helpers.h"

// Owns a descriptor and closes it when it goes out of scope.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
  UniqueFd &operator=(UniqueFd &&other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

// Returns the read end of a pipe that holds the lines, or an empty UniqueFd.
// Lines may not contain a newline.
UniqueFd lines_pipe(const std::vector<std::string> &lines) {
  int fds[2];
  if (pipe(fds) < 0)
    return UniqueFd();
  UniqueFd reader(fds[0]), writer(fds[1]);
  for (const std::string &line : lines) {
    if (line.find('\n') != std::string::npos)
      return reader; // ~UniqueFd closes the write end
    dprintf(writer.get(), "%s\n", line.c_str());
  }
  return reader;
}

// Formats one setting as a "key=value" line. Keys may not contain '='.
static bool format_setting(const std::string &key, const std::string &value,
                           std::string &line) {
  if (key.empty() || key.find('=') != std::string::npos)
    return false;
  line = key + "=" + value + "\n";
  return true;
}

// Serialises the settings through a pipe: a writer thread formats them
// while this thread collects the text. The writer closes its end on every
// path.
bool dump_settings(const std::map<std::string, std::string> &settings,
                   std::string &text) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;

  bool complete = true;
  std::thread writer([wfd = fds[1], &settings, &complete] {
    for (const auto &kv : settings) {
      std::string line;
      if (!format_setting(kv.first, kv.second, line)) {
        complete = false;
        close(wfd);
        return;
      }
      if (write_all(wfd, line.data(), line.size()) < 0)
        break;
    }
    close(wfd);
  });

  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  writer.join();
  return complete;
}

// The body of a writer thread: it owns fd and closes it on every path.
static void write_numbers(int fd, int count) {
  for (int i = 0; i < count; ++i) {
    if (dprintf(fd, "%d\n", i) < 0) {
      close(fd);
      return;
    }
  }
  close(fd);
}

// Sums the numbers that a writer thread sends through a pipe.
long sum_numbers(int count) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::thread writer(write_numbers, fds[1], count);
  long sum = 0;
  FILE *in = fdopen(fds[0], "r");
  if (in == nullptr) {
    close(fds[0]);
    writer.join();
    return -1;
  }
  long v;
  while (std::fscanf(in, "%ld", &v) == 1)
    sum += v;
  std::fclose(in);
  writer.join();
  return sum;
}

// A pipe that an object keeps for its whole life.
class Notifier {
public:
  ~Notifier() {
    if (read_fd_ >= 0)
      close(read_fd_);
    if (write_fd_ >= 0)
      close(write_fd_);
  }
  bool open() {
    int fds[2];
    if (pipe(fds) < 0)
      return false;
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    return true;
  }
  void notify() { write_all(write_fd_, "!", 1); }
  void finish() {
    close(write_fd_);
    write_fd_ = -1;
  }
  ssize_t wait_all() { return pipe_drain(read_fd_); }

private:
  int read_fd_ = -1;
  int write_fd_ = -1;
};

// Sends a message through a new pipe and returns what a reader saw, or -1.
template <typename Msg> ssize_t roundtrip(const Msg &msg) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::string text;
  if (!msg.serialize(text)) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  write_all(fds[1], text.data(), text.size());
  close(fds[1]);
  ssize_t n = pipe_drain(fds[0]);
  close(fds[0]);
  return n;
}

struct Ping {
  bool serialize(std::string &out) const {
    out = "ping\n";
    return true;
  }
};

struct Note {
  std::string body;
  bool serialize(std::string &out) const {
    if (body.size() > 1024)
      return false;
    out = "note " + body + "\n";
    return true;
  }
};

// Returns how many bytes a reader sees for the lines, or -1 if a line
// contains a newline.
ssize_t measure_lines(const std::vector<std::string> &lines) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return -1;
  for (const std::string &line : lines) {
    if (line.find('\n') != std::string::npos) {
      for (int fd : fds)
        close(fd);
      return -1;
    }
    dprintf(fds[1], "%s\n", line.c_str());
  }
  close(fds[1]);
  ssize_t n = pipe_drain(fds[0]);
  close(fds[0]);
  return n;
}

// Writes the header into a new pipe; *rfd gets the read end. Throws if the
// header does not fit, after closing both ends.
void start_feed(int *rfd, const std::string &header) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::runtime_error("pipe failed");
  try {
    if (header.size() > PIPE_BUF)
      throw std::length_error("feed header longer than PIPE_BUF");
    if (write_all(fds[1], header.data(), header.size()) < 0)
      throw std::runtime_error("write failed");
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[1]);
  *rfd = fds[0];
}

// Writes a report through a stdio stream that owns the write end.
int write_report(int *rfd, const std::vector<std::string> &items) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::unique_ptr<FILE, int (*)(FILE *)> out(fdopen(fds[1], "w"), &std::fclose);
  if (!out) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  for (const std::string &item : items)
    std::fprintf(out.get(), "- %s\n", item.c_str());
  *rfd = fds[0];
  return 0; // ~unique_ptr calls fclose(), which closes fds[1]
}

// A pipe for the caller to write into: the read end goes to *rfd, the
// write end is returned. The ends are named by a structured binding of the
// plain array (a copy of it), so returning 'w' hands the write end off.
int open_channel(int *rfd) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  *rfd = r;
  return w;
}

// A write end whose reader is not wanted: the read end is closed, the write
// end returned, both through a reference binding of the array.
int open_sink(bool keep_reader, int *rfd) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto &[r, w] = fds;
  if (keep_reader)
    *rfd = r;
  else
    close(r);
  return w;
}

// The copy binding with the read end closed here, as in open_sink().
int open_discard() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  close(r);
  return w;
}

// ---- scenarios -------------------------------------------------------------

static int scenario_raii(bool bad) {
  UniqueFd r = lines_pipe({"one", bad ? "two\nthree" : "two"});
  if (r.get() < 0)
    return 1;
  pipe_drain(r.get());
  return 0;
}

static int scenario_settings(bool bad) {
  std::map<std::string, std::string> settings{{"color", "blue"},
                                              {"size", "3"}};
  if (bad)
    settings["a=b"] = "c";
  std::string text;
  return dump_settings(settings, text) == !bad ? 0 : 1;
}

static int scenario_member() {
  Notifier n;
  if (!n.open())
    return 1;
  n.notify();
  n.notify();
  n.finish();
  return n.wait_all() == 2 ? 0 : 1;
}

static int scenario_template() {
  if (roundtrip(Ping{}) != 5)
    return 1;
  if (roundtrip(Note{std::string(2000, 'n')}) != -1)
    return 1;
  return roundtrip(Note{"hi"}) == 8 ? 0 : 1;
}

static int scenario_feed() {
  int r = -1;
  try {
    start_feed(&r, std::string(PIPE_BUF + 1, 'h'));
    return 1;
  } catch (const std::length_error &) {
  }
  start_feed(&r, "header\n");
  ssize_t n = pipe_drain(r);
  close(r);
  return n == 7 ? 0 : 1;
}

static int scenario_report() {
  int r = -1;
  if (write_report(&r, {"alpha", "beta"}) < 0)
    return 1;
  ssize_t n = pipe_drain(r);
  close(r);
  return n == 15 ? 0 : 1;
}

static int scenario_channel() {
  int r = -1;
  int w = open_channel(&r);
  if (w < 0)
    return 1;
  write(w, "abc", 3);
  close(w);
  std::string got;
  char buf[16];
  ssize_t n;
  while ((n = read(r, buf, sizeof buf)) > 0)
    got.append(buf, static_cast<size_t>(n));
  close(r);
  return got == "abc" ? 0 : 1;
}

static int scenario_sink() {
  int r = -1;
  int w = open_sink(true, &r);
  int d = open_discard();
  if (w < 0 || d < 0)
    return 1;
  close(d);
  close(w);
  char c;
  ssize_t n = read(r, &c, 1);
  close(r);
  int s = open_sink(false, &r);
  if (s >= 0)
    close(s);
  return n == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "raii")
    return scenario_raii(false);
  if (s == "raii-early")
    return scenario_raii(true);
  if (s == "lambda-capture")
    return scenario_settings(false);
  if (s == "lambda-capture-early")
    return scenario_settings(true);
  if (s == "thread-argument")
    return sum_numbers(5) == 10 ? 0 : 1;
  if (s == "member")
    return scenario_member();
  if (s == "template")
    return scenario_template();
  if (s == "std-array")
    return measure_lines({"one", "two"}) == 8 ? 0 : 1;
  if (s == "std-array-early")
    return measure_lines({"one", "two\nthree"}) == -1 ? 0 : 1;
  if (s == "catch-rethrow")
    return scenario_feed();
  if (s == "stdio-deleter")
    return scenario_report();
  if (s == "binding")
    return scenario_channel();
  if (s == "binding-ref")
    return scenario_sink();
  if (s == "header") {
    int r = pipe_from_string("hello\n");
    ssize_t n = pipe_drain(r);
    close(r);
    return n == 6 ? 0 : 1;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

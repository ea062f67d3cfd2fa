// C++ code that reads pipes it creates without blocking itself: the write
// end goes to a std::thread or std::jthread (captured or passed), to an
// owning object, or is closed before the read loop; the large write happens
// on another thread than the read-back; the read waits with poll().
// pipe-self-deadlock must not report anything here. Every scenario
// terminates.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -std=c++17,c++20
// RUN: %run_example %s thread-capture exit
// RUN: %run_example %s thread-argument exit
// RUN: %run_example %s thread-reference exit
// RUN: %run_example %s jthread exit -- -std=c++20
// RUN: %run_example %s thread-large-write exit
// RUN: %run_example %s owner-object exit
// RUN: %run_example %s template exit
// RUN: %run_example %s std-array-closed exit
// RUN: %run_example %s lambda-poll exit
// RUN: %run_example %s binding exit
// RUN: %run_example %s binding-ref exit

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <poll.h>
#include <sys/types.h>
#include <unistd.h>

// Formats the numbers on a writer thread, which owns the write end and
// closes it when done; this thread reads the text.
std::string format_numbers(const std::vector<int> &numbers) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  std::thread writer([wfd = fds[1], &numbers] {
    for (int v : numbers)
      dprintf(wfd, "%d\n", v);
    close(wfd);
  });
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  writer.join();
  return text;
}

// The body of a writer thread: it owns fd and closes it.
static void write_greeting(int fd, std::string name) {
  dprintf(fd, "hello, %s\n", name.c_str());
  close(fd);
}

// Starts the writer with the write end as a thread argument.
std::string greeting(const std::string &name) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  std::thread writer(write_greeting, fds[1], name);
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  writer.join();
  return text;
}

// The writer thread sees the pipe through a reference capture and closes
// the write end itself.
std::string banner(const std::string &title) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  std::thread writer([&fds, &title] {
    dprintf(fds[1], "== %s ==\n", title.c_str());
    close(fds[1]);
  });
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  writer.join();
  close(fds[0]);
  return text;
}

#if __cplusplus >= 202002L
// A std::jthread writer; it is joined when it goes out of scope, after the
// loop has seen end-of-file.
std::string jthread_lines(int count) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return {};
  std::string text;
  {
    std::jthread writer([wfd = fds[1], count] {
      for (int i = 0; i < count; ++i)
        dprintf(wfd, "line %d\n", i);
      close(wfd);
    });
    char buf[256];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      text.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  return text;
}
#endif

static char payload[100000];

// Sends a payload larger than the pipe holds: a writer thread writes it all
// while this thread reads it back, so the write never waits for long.
std::size_t large_roundtrip() {
  int fds[2];
  if (pipe(fds) < 0)
    return 0;
  std::thread writer([wfd = fds[1]] {
    write(wfd, payload, sizeof payload);
    close(wfd);
  });
  std::size_t got = 0;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    got += static_cast<std::size_t>(n);
  close(fds[0]);
  writer.join();
  return got;
}

// Owns a descriptor and closes it when it goes out of scope.
class UniqueFd {
public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_;
};

// Writes the words through a pipe whose ends are owned by UniqueFd objects,
// closes the writer, and reads the words back.
std::string join_words(const std::vector<std::string> &words) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  UniqueFd reader(fds[0]), writer(fds[1]);
  for (const std::string &w : words)
    dprintf(writer.get(), "%s ", w.c_str());
  writer.reset();
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = read(reader.get(), buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  return text;
}

// Copies a record through a pipe. Every record it is used with fits in the
// pipe, so the write does not wait.
template <typename Record> bool copy_through_pipe(const Record &in, Record &out) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  write(fds[1], &in, sizeof in);
  close(fds[1]);
  ssize_t n = read(fds[0], &out, sizeof out);
  close(fds[0]);
  return n == static_cast<ssize_t>(sizeof out);
}

struct Point {
  double x, y;
};

struct Header {
  char magic[4];
  unsigned length;
  char name[4088];
};

// Renders the lines through a pipe kept in a std::array, closing the write
// end before the read loop.
std::string render_lines(const std::vector<std::string> &lines) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return {};
  for (const std::string &line : lines)
    dprintf(fds[1], "%s\n", line.c_str());
  close(fds[1]);
  std::string text;
  char buf[256];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  return text;
}

// Waits up to 'ms' milliseconds for a wake-up byte, in a lambda.
static int wait_for_wakeup(int ms) {
  auto wait = [ms] {
    int fds[2];
    if (pipe(fds) < 0)
      return -1;
    struct pollfd p = {fds[0], POLLIN, 0};
    char c = -1;
    if (poll(&p, 1, ms) > 0)
      read(fds[0], &c, 1);
    close(fds[0]);
    close(fds[1]);
    return static_cast<int>(c);
  };
  return wait();
}

// Sends itself a go signal through a pipe named by a structured binding of
// the plain array, then reads it back: the byte is in the pipe first.
int signal_self() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  write(w, "g", 1);
  char c;
  ssize_t n = read(r, &c, 1);
  close(r);
  close(w);
  return n == 1 ? c : -1;
}

// The same through a reference binding; the write end is closed before the
// read, which then sees end-of-file.
int drain_closed() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto &[r, w] = fds;
  close(w);
  char c;
  ssize_t n = read(r, &c, 1);
  close(r);
  return int(n);
}

// ---- scenarios -------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "thread-capture")
    return format_numbers({1, 2, 3}) != "1\n2\n3\n";
  if (s == "thread-argument")
    return greeting("bob") != "hello, bob\n";
  if (s == "thread-reference")
    return banner("news") != "== news ==\n";
#if __cplusplus >= 202002L
  if (s == "jthread")
    return jthread_lines(2) != "line 0\nline 1\n";
#endif
  if (s == "thread-large-write")
    return large_roundtrip() != sizeof payload;
  if (s == "owner-object")
    return join_words({"a", "b"}) != "a b ";
  if (s == "template") {
    Point p{1.5, 2.5}, q{};
    static Header h{{'H', 'D', 'R', '1'}, 42, "name"}, g{};
    return !(copy_through_pipe(p, q) && q.y == 2.5 &&
             copy_through_pipe(h, g) && g.length == 42);
  }
  if (s == "std-array-closed")
    return render_lines({"x", "y"}) != "x\ny\n";
  if (s == "lambda-poll")
    return wait_for_wakeup(100) != -1;
  if (s == "binding")
    return signal_self() != 'g';
  if (s == "binding-ref")
    return drain_closed() != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

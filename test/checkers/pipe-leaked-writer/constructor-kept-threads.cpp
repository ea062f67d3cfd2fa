// A factory starts a writer thread and hands it, with the read end of its
// pipe, to the constructor of the object it returns, which moves the thread
// into a member (`writer_(std::move(t))`). The object's destructor joins
// the thread before it closes the read end. A caller that gives up after
// the first line destroys the object while the writer (more than a pipe
// holds) is blocked on the full pipe: the join in the destructor never
// returns. The factory may return the object by value or in a
// std::optional, be a static member or a free function two deep, and the
// constructor may take the thread by value or by rvalue reference.
//
// The near misses: a destructor that closes the read end before it joins
// (the writer gets EPIPE and ends), and a caller that reads to the end.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++17
// RUN: %run_example %s optional-give-up hang
// RUN: %run_example %s value-give-up hang
// RUN: %run_example %s closes-first exit
// RUN: %run_example %s read-all exit

#include <csignal>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

bool put_lines(int fd, int lines) {
  char line[64];
  std::memset(line, 'x', sizeof line);
  line[sizeof line - 1] = '\n';
  for (int i = 0; i < lines; i++)
    if (write(fd, line, sizeof line) != ssize_t(sizeof line))
      return false;
  return true;
}

// Reads one line at a time (bytes up to '\n').
bool read_line(int fd, std::string &out) {
  out.clear();
  char c;
  while (read(fd, &c, 1) == 1) {
    if (c == '\n')
      return true;
    out.push_back(c);
  }
  return !out.empty();
}

class Listing {
public:
  static std::optional<Listing> start(int lines) {
    int p[2];
    if (pipe(p) != 0)
      return std::nullopt;
    int wr = p[1];
    std::thread t([wr, lines] {
      put_lines(wr, lines);
      close(wr);
    });
    return Listing(p[0], std::move(t));
  }
  Listing(Listing &&o) noexcept : rd_(o.rd_), writer_(std::move(o.writer_)) {
    o.rd_ = -1;
  }
  ~Listing() {
    if (writer_.joinable())
      writer_.join();
    if (rd_ >= 0)
      close(rd_);
  }
  bool next(std::string &line) { return read_line(rd_, line); }

private:
  Listing(int rd, std::thread t) : rd_(rd), writer_(std::move(t)) {}
  int rd_;
  std::thread writer_;
};

class Feed {
public:
  Feed(int rd, std::thread &&t) : rd_(rd), writer_(std::move(t)) {}
  Feed(Feed &&o) noexcept : rd_(o.rd_), writer_(std::move(o.writer_)) {
    o.rd_ = -1;
  }
  ~Feed() {
    if (writer_.joinable())
      writer_.join();
    if (rd_ >= 0)
      close(rd_);
  }
  bool next(std::string &line) { return read_line(rd_, line); }

private:
  int rd_;
  std::thread writer_;
};

Feed open_feed_inner(int lines) {
  int p[2];
  if (pipe(p) != 0)
    throw std::runtime_error("pipe");
  int wr = p[1];
  std::thread t([wr, lines] {
    put_lines(wr, lines);
    close(wr);
  });
  return Feed(p[0], std::move(t));
}

Feed open_feed(int lines) { return open_feed_inner(lines); }

class PoliteFeed {
public:
  PoliteFeed(int rd, std::thread t) : rd_(rd), writer_(std::move(t)) {}
  PoliteFeed(PoliteFeed &&o) noexcept
      : rd_(o.rd_), writer_(std::move(o.writer_)) {
    o.rd_ = -1;
  }
  ~PoliteFeed() {
    if (rd_ >= 0)
      close(rd_);
    if (writer_.joinable())
      writer_.join();
  }
  bool next(std::string &line) { return read_line(rd_, line); }

private:
  int rd_;
  std::thread writer_;
};

PoliteFeed open_polite_feed(int lines) {
  int p[2];
  if (pipe(p) != 0)
    throw std::runtime_error("pipe");
  int wr = p[1];
  std::thread t([wr, lines] {
    put_lines(wr, lines);
    close(wr);
  });
  return PoliteFeed(p[0], std::move(t));
}

int optional_give_up() {
  auto l = Listing::start(5000);
  if (!l)
    return -1;
  std::string line;
  if (!l->next(line) || line.size() != 63)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'l' joins std::thread 'l->writer_' in its destructor when it is destroyed here, while the read end 'l->rd_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Listing', close the read end before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-87]]:3: note: '~Listing' joins std::thread 'l->writer_' before it closes the read end
    // CHECK-MESSAGES: :[[@LINE-8]]:12: note: std::thread 'l->writer_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-9]]:12: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:3: note: 'l' is destroyed here too, on another path, with the read end still open
  return 0; // gives up after the header line
}

int value_give_up() {
  Feed f = open_feed(5000);
  std::string line;
  if (!f.next(line))
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'f' joins std::thread 'f.writer_' in its destructor when it is destroyed here, while the read end 'f.rd_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Feed', close the read end before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-80]]:3: note: '~Feed' joins std::thread 'f.writer_' before it closes the read end
    // CHECK-MESSAGES: :[[@LINE-6]]:12: note: std::thread 'f.writer_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-7]]:12: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:3: note: 'f' is destroyed here too, on another path, with the read end still open
  return 0; // gives up after the first line
}

int closes_first() {
  PoliteFeed f = open_polite_feed(5000);
  std::string line;
  return f.next(line) ? 0 : -1;
}

int read_all() {
  Feed f = open_feed(5000);
  std::string line;
  int n = 0;
  while (f.next(line))
    n++;
  return n == 5000 ? 0 : -1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::signal(SIGPIPE, SIG_IGN);
  if (!std::strcmp(argv[1], "optional-give-up"))
    return optional_give_up() == 0 ? 0 : 1;
  if (!std::strcmp(argv[1], "value-give-up"))
    return value_give_up() == 0 ? 0 : 1;
  if (!std::strcmp(argv[1], "closes-first"))
    return closes_first() == 0 ? 0 : 1;
  if (!std::strcmp(argv[1], "read-all"))
    return read_all() == 0 ? 0 : 1;
  return 2;
}

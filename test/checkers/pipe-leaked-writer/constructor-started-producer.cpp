// pipe-leaked-writer for a class whose constructor makes the pipe and
// starts its producer thread through a helper that returns the
// std::thread (given the write end, a `const std::string &` title and a
// count it formats into text and loops on: neither is a descriptor the
// thread holds). The destructor joins the producer before it closes the
// read end; a caller that reads only the first line and returns early
// destroys the object while the producer is blocked on the full pipe, so
// the join never returns. The name of the read end is the member
// ('lister.rd_'): a class that also runs a thread is no one-descriptor
// wrapper. The near miss's destructor closes first.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s joins-first hang
// RUN: %run_example %s closes-first exit

#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

static std::thread start_producer(int wfd, const std::string &title,
                                  int entries) {
  return std::thread([wfd, title, entries] {
    std::string head = title + " entries=" + std::to_string(entries) + "\n";
    bool ok = write(wfd, head.data(), head.size()) >= 0;
    for (int i = 0; ok && i < entries; ++i) {
      char line[64];
      int len = std::snprintf(line, sizeof line, "%08d of %d\n", i, entries);
      ok = write(wfd, line, len) >= 0;
    }
    close(wfd);
  });
}

class Lister {
public:
  Lister(const std::string &title, int entries) {
    int fds[2];
    if (pipe(fds) != 0)
      throw std::runtime_error("pipe");
    rd_ = fds[0];
    producer_ = start_producer(fds[1], title, entries);
  }
  ~Lister() {
    if (producer_.joinable())
      producer_.join();
    close(rd_);
  }
  bool first_line_is(const char *want) {
    std::string line;
    char c;
    while (read(rd_, &c, 1) == 1 && c != '\n')
      line.push_back(c);
    return line.compare(0, std::strlen(want), want) == 0;
  }

private:
  int rd_ = -1;
  std::thread producer_;
};

class ClosingLister {
public:
  ClosingLister(const std::string &title, int entries) {
    int fds[2];
    if (pipe(fds) != 0)
      throw std::runtime_error("pipe");
    rd_ = fds[0];
    producer_ = start_producer(fds[1], title, entries);
  }
  ~ClosingLister() {
    close(rd_);
    if (producer_.joinable())
      producer_.join();
  }
  bool first_line_is(const char *want) {
    char buf[8];
    return read(rd_, buf, sizeof buf) > 0 && std::strncmp(buf, want, 4) == 0;
  }

private:
  int rd_ = -1;
  std::thread producer_;
};

static int list(const std::string &title) {
  Lister lister(title, 50000);
  if (!lister.first_line_is("PAK1"))
    return 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'lister' joins std::thread 'lister.producer_' in its destructor when it is destroyed here, while the read end 'lister.rd_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Lister', close the read end before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-47]]:3: note: '~Lister' joins std::thread 'lister.producer_' before it closes the read end
    // CHECK-MESSAGES: :[[@LINE-5]]:10: note: std::thread 'lister.producer_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-6]]:10: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:3: note: 'lister' is destroyed here too, on another path, with the read end still open
  return 0;
}

static int list_closing(const std::string &title) {
  ClosingLister lister(title, 50000);
  if (!lister.first_line_is("PAK1"))
    return 1;
  return 0;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string s = argc > 1 ? argv[1] : "";
  // A title without the magic: the callers give up after the first line.
  if (s == "joins-first")
    return list("ZIP!") == 1 ? 0 : 1;
  if (s == "closes-first")
    return list_closing("ZIP!") == 1 ? 0 : 1;
  return 2;
}

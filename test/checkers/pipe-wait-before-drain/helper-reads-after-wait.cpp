// pipe-wait-before-drain when the output is read after the wait by a
// helper that reads a given amount, not to end-of-file: a free function
// reading through an fdopen() stream, and a member function that reads a
// fixed-size record with one read() call. The helper's summary says it
// reads the descriptor, so the wait is a wait before the drain, not a
// reader that gave up.
//
// Each finding waits for a child that writes more than the pipe holds
// before reading its output; each hangs. The near miss reads first.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-leaked-writer %t -- -- -std=c++17
// RUN: %run_example %s stream hang
// RUN: %run_example %s record hang
// RUN: %run_example %s read-first exit

#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

constexpr size_t kBytes = 200000;

struct Child {
  pid_t pid = -1;
  int out = -1;
};

// Starts `head -c 200000 /dev/zero` with its output on a pipe.
static Child start_dump() {
  Child c;
  int fds[2];
  if (pipe(fds) < 0)
    return c;
  c.pid = fork();
  if (c.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("head", "head", "-c", "200000", "/dev/zero", static_cast<char *>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  c.out = fds[0];
  return c;
}

static bool read_dump(int fd, std::vector<char> &buf) {
  FILE *in = fdopen(fd, "rb");
  if (!in)
    return false;
  size_t got = std::fread(buf.data(), 1, buf.size(), in);
  std::fclose(in);
  return got == buf.size();
}

class Reader {
public:
  explicit Reader(int fd) : fd_(fd) {}
  ~Reader() {
    if (fd_ >= 0)
      close(fd_);
  }
  bool record(std::vector<char> &buf) {
    return read(fd_, buf.data(), buf.size()) > 0;
  }

private:
  int fd_;
};

static int stream() {
  std::vector<char> buf(kBytes);
  Child c = start_dump();
  if (c.pid < 0)
    return 1;
  int st;
  waitpid(c.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'c.pid' before its output pipe 'c.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: child process 'c.pid' starts here; it makes 'fds[1] in start_dump()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'c.out' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'c.out' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
  return read_dump(c.out, buf) ? 0 : 1;
}

static int record() {
  std::vector<char> buf(512);
  Child c = start_dump();
  if (c.pid < 0)
    return 1;
  int st;
  waitpid(c.pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'c.pid' before its output pipe 'c.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'c.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: child process 'c.pid' starts here; it makes 'fds[1] in start_dump()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:10: note: 'c.out' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'c.out' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
  Reader r(c.out);
  return r.record(buf) ? 0 : 1;
}

static int read_first() {
  std::vector<char> buf(kBytes);
  Child c = start_dump();
  if (c.pid < 0)
    return 1;
  bool ok = read_dump(c.out, buf);
  int st;
  waitpid(c.pid, &st, 0);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  if (s == "stream")
    return stream();
  if (s == "record")
    return record();
  if (s == "read-first")
    return read_first();
  return 2;
}

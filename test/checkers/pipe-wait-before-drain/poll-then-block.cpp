// pipe-wait-before-drain in C++ (the C shapes: poll-then-block.c): POLLOUT
// on a child's standard input promises room for some bytes, not for the
// whole write; a blocking write of more than the pipe holds waits for the
// child, which stops reading once its own output pipe is full, while the
// poll() loop that would read that output is stuck in the write (hang).
// The child is started by a lambda that returns its pid. The near-miss
// makes the write end non-blocking through a member function of a helper
// class: it finishes and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S -std=c++17
// RUN: %run_example %s blocking hang
// RUN: %run_example %s nonblocking exit

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

struct Fd {
  static int setNonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  }
};

static pid_t startCat(int in[2], int out[2]) {
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("cat", "cat", (char *)nullptr);
    _exit(127);
  }
  return pid;
}

long filterBlocking(const std::vector<char> &input) {
  int in[2], out[2];
  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = startCat(in, out);
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    return -1;
  }
  std::size_t off = 0;
  bool feeding = true;
  long total = 0;
  char got[65536];
  for (;;) {
    pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, feeding ? 2 : 1, -1) < 0)
      break;
    if (feeding && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input.data() + off, input.size() - off);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: poll() said the standard input 'in[1]' of child process 'pid' has room, but this blocking write of an amount we cannot bound waits until all of it is written: once the child's output pipe 'out[0]' is full (65536 bytes) the child stops reading its input, and this write never returns to the poll() loop that reads it; make 'in[1]' non-blocking (O_NONBLOCK), or write at most one page after each poll() [pipe-wait-before-drain]
      // CHECK-MESSAGES: :56:15: note: child process 'pid' starts here{{.*}}
      // CHECK-MESSAGES: :51:7: note: output pipe created here
      // CHECK-MESSAGES: :72:9: note: taking the true branch
      if (n < 0)
        break;
      off += static_cast<std::size_t>(n);
      if (off == input.size()) {
        close(in[1]);
        feeding = false;
      }
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (feeding)
    close(in[1]);
  close(out[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

long filterNonblocking(const std::vector<char> &input) {
  int in[2], out[2];
  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = startCat(in, out);
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    return -1;
  }
  Fd::setNonblocking(in[1]);
  std::size_t off = 0;
  bool feeding = true;
  long total = 0;
  char got[65536];
  for (;;) {
    pollfd pfd[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (poll(pfd, feeding ? 2 : 1, -1) < 0)
      break;
    if (feeding && (pfd[1].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in[1], input.data() + off, input.size() - off);
      if (n < 0 && errno != EAGAIN)
        break;
      if (n > 0)
        off += static_cast<std::size_t>(n);
      if (off == input.size()) {
        close(in[1]);
        feeding = false;
      }
    }
    if (pfd[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out[0], got, sizeof got);
      if (n <= 0)
        break;
      total += n;
    }
  }
  if (feeding)
    close(in[1]);
  close(out[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  std::vector<char> input(1 << 20, 'x');
  long got;
  std::signal(SIGPIPE, SIG_IGN);
  if (std::strcmp(s, "blocking") == 0)
    got = filterBlocking(input);
  else if (std::strcmp(s, "nonblocking") == 0)
    got = filterNonblocking(input);
  else {
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
    return 2;
  }
  return got == static_cast<long>(input.size()) ? 0 : 1;
}

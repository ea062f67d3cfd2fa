// pipe-leaked-writer: `if (t.joinable()) t.join();`, the usual guard before
// a std::thread goes out of scope. A thread this path started and has not
// joined is joinable, so the guard joins it: no path destroys it joinable
// (a function, and a destructor that closes the read end first). An early
// return before the guard still leaves it joinable (std::terminate).
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s guard exit
// RUN: %run_example %s guard-dtor exit
// RUN: %run_example %s early-return abort

#include <csignal>
#include <cstring>
#include <thread>
#include <unistd.h>
#include <vector>

static void writer(int fd) {
  char b[4096] = {'x'};
  for (int i = 0; i < 64; ++i)
    if (write(fd, b, sizeof b) < 0)
      break;
  close(fd);
}

// Near miss: reads one byte, closes the read end, joins behind the guard.
int firstByte() {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  std::thread t(writer, fds[1]);
  char c = 0;
  if (read(fds[0], &c, 1) != 1)
    c = 0;
  close(fds[0]);
  if (t.joinable())
    t.join();
  return c;
}

// Near miss: the destructor closes the read end, then joins if joinable.
class Renderer {
public:
  Renderer() {
    if (pipe(Fds) != 0)
      Fds[0] = Fds[1] = -1;
    else
      Worker = std::thread(&Renderer::encode, this);
  }
  ~Renderer() {
    close(Fds[0]);
    if (Worker.joinable())
      Worker.join();
  }
  char firstByte() {
    char c = 0;
    return read(Fds[0], &c, 1) == 1 ? c : 0;
  }

private:
  void encode() {
    std::vector<char> Row(3000, 'P');
    for (int y = 0; y < 300; ++y)
      if (write(Fds[1], Row.data(), Row.size()) < 0)
        break;
    close(Fds[1]);
  }
  int Fds[2];
  std::thread Worker;
};

// An early return before the guard: the thread is still joinable there.
int checkedByte(bool Strict) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  std::thread t(writer, fds[1]);
  char c = 0;
  if (read(fds[0], &c, 1) != 1)
    c = 0;
  close(fds[0]);
  if (Strict && c != 'y')
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::thread 't' is destroyed here while still joinable, which calls std::terminate; close the pipe's read end so that the writer fails with EPIPE, then join it [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-8]]:15: note: std::thread 't' starts here
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  if (t.joinable())
    t.join();
  return c;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const char *S = argc > 1 ? argv[1] : "";
  if (std::strcmp(S, "guard") == 0)
    return firstByte() == 'x' ? 0 : 1;
  if (std::strcmp(S, "guard-dtor") == 0) {
    Renderer R;
    return R.firstByte() == 'P' ? 0 : 1;
  }
  if (std::strcmp(S, "early-return") == 0)
    return checkedByte(true) == -1 ? 0 : 1;
  return 2;
}

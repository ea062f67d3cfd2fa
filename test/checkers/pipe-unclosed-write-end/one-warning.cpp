// One warning per defect in C++ (issue #18): the pure leaks of a member
// function and of a lambda at their exits are one warning each, at the
// first place, with a note at each other place; a hang stays a warning of
// its own. Each leak scenario counts the descriptors left open after 32
// calls; the hang scenario hangs.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s relay-leaks exit
// RUN: %run_example %s lambda-leaks exit
// RUN: %run_example %s reader-hangs hang

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <string>

namespace {
int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; ++fd)
    if (fcntl(fd, F_GETFD) != -1)
      ++n;
  return n;
}
} // namespace

/* A relay with two pipes of its own. open() fails half-way in two places,
 * leaking what it made so far: one missing cleanup, one warning. */
class Relay {
public:
  bool open(int fail);
  void shut();

private:
  int up_[2] = {-1, -1};
  int down_[2] = {-1, -1};
};

bool Relay::open(int fail) {
  int up[2], down[2];
  if (pipe(up) < 0)
    return false;
  if (fail == 1 || pipe(down) < 0)
    return false;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'open' leaks the write end 'up[1]' (and the read end 'up[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: close 'up[1]' and 'up[0]' here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE+4]]:5: note: 'open' also leaks the write end 'down[1]' (and the read end 'down[0]') of the pipe and the write end 'up[1]' (and the read end 'up[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE-6]]:20: note: pipe created here
    // CHECK-NOTES: :[[@LINE+1]]:7: note: taking the true branch
  if (fail == 2)
    return false;
  for (int i = 0; i < 2; ++i) {
    up_[i] = up[i];
    down_[i] = down[i];
  }
  return true;
}

void Relay::shut() {
  for (int i = 0; i < 2; ++i) {
    if (up_[i] >= 0)
      close(up_[i]);
    if (down_[i] >= 0)
      close(down_[i]);
  }
}

/* A lambda that makes two pipes and gives up at two places. */
auto make_pair_of_pipes = [](int fail) -> int {
  int a[2], b[2];
  if (pipe(a) < 0)
    return -1;
  if (fail == 1)
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: this lambda leaks the write end 'a[1]' (and the read end 'a[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; close them on each of these paths [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-2]]:5: note: close 'a[1]' and 'a[0]' here
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-5]]:7: note: taking the true branch
    // CHECK-NOTES: :[[@LINE+9]]:5: note: this lambda also leaks the write end 'b[1]' (and the read end 'b[0]') of the pipe and the write end 'a[1]' (and the read end 'a[0]') of the pipe when it returns here
    // CHECK-NOTES: :[[@LINE+2]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE+6]]:7: note: taking the true branch
  if (pipe(b) < 0) {
    close(a[0]);
    close(a[1]);
    return -1;
  }
  if (fail == 2)
    return -1;
  close(a[0]);
  close(a[1]);
  close(b[0]);
  close(b[1]);
  return 0;
};

/* The caller gets the read end and reads it to end-of-file: a write end
 * left open here is a hang, reported on its own. */
int start_message(const std::string &msg, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (msg.empty())
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start_message' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
  if (write(fds[1], msg.data(), msg.size()) < 0) {
    close(fds[1]);
    return -1;
  }
  close(fds[1]);
  return 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (s == "relay-leaks") {
    for (int i = 0; i < 32; ++i) {
      Relay r;
      r.open(1 + i % 2);
    }
    /* fail 1 leaks up (2), fail 2 leaks up and down (4). */
    return open_fds() - before != 16 * 2 + 16 * 4;
  }
  if (s == "lambda-leaks") {
    for (int i = 0; i < 32; ++i)
      make_pair_of_pipes(1 + i % 2);
    return open_fds() - before != 16 * 2 + 16 * 4;
  }
  if (s == "reader-hangs") {
    int r = -1;
    char c;
    start_message("", &r);
    while (read(r, &c, 1) > 0) {
    }
    return 0;
  }
  return 2;
}

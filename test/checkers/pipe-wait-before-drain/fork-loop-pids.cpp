// C++ shape of fork-loop-pids.c: in a member function, the pids of
// children started in a loop kept in a local array (`pids[i] = fork()`),
// each child running a lambda that writes more than the pipe holds, then
// waited for in a loop before the pipe is read by another member
// function. The first wait never returns; the "-ok" scenario writes a
// little and finishes, and the near miss reads first.
//
// Not followed yet (no warning, see the check's Limits): the same pids
// kept in an array member of the class (`pids_[i]`), and a start loop in
// a member function of its own.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -std=c++17 -I%S
// RUN: %run_example %s wait-all-then-read hang
// RUN: %run_example %s wait-all-then-read-ok exit
// RUN: %run_example %s read-then-wait-all exit

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static char chunk[1 << 17];

class Pool {
public:
  static constexpr int Workers = 3;

  long waitThenRead(bool small) {
    int out[2];
    pid_t pids[Workers];
    auto produce = [&](int fd) {
      write_all(fd, chunk, small ? 16 : sizeof chunk);
    };
    if (pipe(out) < 0)
      return -1;
    for (int i = 0; i < Workers; i++) {
      pids[i] = fork();
      if (pids[i] < 0)
        std::exit(1);
      if (pids[i] == 0) {
        close(out[0]);
        produce(out[1]);
        _exit(0);
      }
    }
    close(out[1]);
    for (int i = 0; i < Workers; i++)
      waitpid(pids[i], nullptr, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: waitpid() waits for child process 'pids[i]' before its output pipe 'out[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-13]]:17: note: child process 'pids[i]' starts here; {{.*}}
    // CHECK-MESSAGES: :[[@LINE-17]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:12: note: 'out[0]' is read only here, after the wait
    // CHECK-MESSAGES: :[[@LINE-17]]:21: note: the loop condition is false: leaving the loop
    return drain(out[0]);
  }

  long readThenWait() {
    int out[2];
    pid_t pids[Workers];
    if (pipe(out) < 0)
      return -1;
    for (int i = 0; i < Workers; i++) {
      pids[i] = fork();
      if (pids[i] < 0)
        std::exit(1);
      if (pids[i] == 0) {
        close(out[0]);
        write_all(out[1], chunk, sizeof chunk);
        _exit(0);
      }
    }
    close(out[1]);
    long total = drain(out[0]);
    for (int i = 0; i < Workers; i++)
      waitpid(pids[i], nullptr, 0);
    return total;
  }

private:
  static long drain(int fd) {
    long total = 0;
    ssize_t n;
    char buf[4096];
    while ((n = read(fd, buf, sizeof buf)) > 0)
      total += n;
    close(fd);
    return total;
  }
};

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  Pool p;
  if (std::strcmp(s, "wait-all-then-read") == 0)
    return p.waitThenRead(false) < 0;
  if (std::strcmp(s, "wait-all-then-read-ok") == 0)
    return p.waitThenRead(true) != 16 * Pool::Workers;
  if (std::strcmp(s, "read-then-wait-all") == 0)
    return p.readThenWait() != long(sizeof chunk) * Pool::Workers;
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

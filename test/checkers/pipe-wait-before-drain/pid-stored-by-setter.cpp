// pipe-wait-before-drain in C++: the start helper hands the child's pid and
// the read end of its output pipe to a member function of the caller's
// object (`j.attach(p[0], pid)`), through a free function (two calls
// deep). The caller waits for `j.pid_` before reading `j.out_`: a child
// that writes more than the pipe holds never exits, so the wait never
// returns (hang). The near miss reads first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s member-setter hang
// RUN: %run_example %s read-first exit

#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

namespace {

constexpr size_t Big = 1 << 17;

struct Job {
  void attach(int out, pid_t pid) {
    out_ = out;
    pid_ = pid;
  }
  int out_ = -1;
  pid_t pid_ = -1;
};

void record(Job &j, int out, pid_t pid) { j.attach(out, pid); }

bool start(Job &j) {
  int p[2];
  if (pipe(p) < 0)
    return false;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return false;
  }
  if (pid == 0) {
    close(p[0]);
    write_filled(p[1], 'a', 'b', Big);
    _exit(0);
  }
  close(p[1]);
  record(j, p[0], pid);
  return true;
}

long wait_then_read() {
  Job j;
  if (!start(j))
    return -1;
  waitpid(j.pid_, nullptr, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j.pid_' before its output pipe 'j.out_' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.out_' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: child process 'j.pid_' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'j.out_' is read only here, after the wait
  long got = drain(j.out_);
  close(j.out_);
  return got;
}

long read_first() {
  Job j;
  if (!start(j))
    return -1;
  long got = drain(j.out_);
  close(j.out_);
  waitpid(j.pid_, nullptr, 0);
  return got;
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "member-setter") == 0)
    return wait_then_read() != long(Big);
  if (std::strcmp(s, "read-first") == 0)
    return read_first() != long(Big);
  return 2;
}

// inherited-in-band.c's partner in C++: the pipes are members of a class,
// the child is started in one member function and talked with in another,
// and the replies are read through a member function. The partner that
// gets "quit" is not reported; the one whose input is closed and that is
// then waited for is: it holds its own input's write end and never sees
// end-of-file.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s quit-command exit
// RUN: %run_example %s close-then-wait hang

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/select.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t partner_done;
void on_child(int) { partner_done = 1; }

char *const partner[] = {
    const_cast<char *>("sh"), const_cast<char *>("-c"),
    const_cast<char *>(
        "while read -r l; do [ \"$l\" = quit ] && exit 0; echo \"got $l\"; done"),
    nullptr};

class Partner {
public:
  // Commands, replies read while this process still holds in_[1], then
  // every end closed and the process ends.
  [[noreturn]] void runScript() {
    std::signal(SIGCHLD, on_child);
    if (pipe(in_) < 0 || pipe(out_) < 0)
      _exit(1);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in_[0], 0);
      dup2(out_[1], 1);
      execvp(partner[0], partner);
      _exit(127);
    }
    if (pid_ < 0)
      _exit(1);
    write(in_[1], "backtrace\nquit\n", 15);
    for (;;) {
      fd_set ready;
      FD_ZERO(&ready);
      FD_SET(out_[0], &ready);
      timeval tv{0, 100000};
      int n = select(out_[0] + 1, &ready, nullptr, nullptr, &tv);
      if (n < 0)
        break;
      if (n > 0) {
        char c;
        if (readReply(&c))
          std::fputc(c, stderr);
      } else if (partner_done) {
        break;
      }
    }
    close(in_[0]);
    close(in_[1]);
    close(out_[0]);
    close(out_[1]);
    _exit(0);
  }

  // One question, one reply, the input closed, then a wait: the partner
  // holds in_[1] itself.
  int askOnce() {
    if (pipe(in_) < 0)
      return -1;
    if (pipe(out_) < 0) {
      close(in_[0]);
      close(in_[1]);
      return -1;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in_[0], 0);
      dup2(out_[1], 1);
      execvp(partner[0], partner);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'in_[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-13]]:9: note: pipe created here
      _exit(127);
    }
    close(in_[0]);
    close(out_[1]);
    write(in_[1], "one\n", 4);
    char c;
    while (readReply(&c) && c != '\n')
      ;
    close(in_[1]);
    close(out_[0]);
    return waitpid(pid_, nullptr, 0) == pid_ ? 0 : -1;
  }

private:
  bool readReply(char *c) { return read(out_[0], c, 1) == 1; }

  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  Partner p;
  if (s == "quit-command")
    p.runScript();
  if (s == "close-then-wait")
    return p.askOnce() != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

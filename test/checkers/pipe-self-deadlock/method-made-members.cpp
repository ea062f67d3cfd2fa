// pipe-self-deadlock in a member function that makes the pipe in the
// object's own members (`pipe(p_)`) and reads it back to end-of-file in the
// same call: `*this` is followed as a pointer parameter's pointee is, so
// the read that waits for the write end the object still holds is found.
// The near miss closes the write end first, through a private member
// function, and finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s holds-write-end hang
// RUN: %run_example %s closes-write-end exit

#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

class Loopback {
public:
  // Writes a message into its own pipe and reads it back to the end.
  std::string echoHolding(const char *msg, size_t len) {
    if (pipe(p_) < 0)
      return "";
    write(p_[1], msg, len);
    std::string got = readAll();
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: reading 'p_[0]' until end-of-file never ends: this process still holds the write end 'p_[1]'; close 'p_[1]' before the read loop [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: pipe created here
    close(p_[0]);
    close(p_[1]);
    return got;
  }

  // The same, with the write end closed before the read.
  std::string echoClosing(const char *msg, size_t len) {
    if (pipe(p_) < 0)
      return "";
    write(p_[1], msg, len);
    closeWriteEnd();
    std::string got = readAll();
    close(p_[0]);
    return got;
  }

private:
  std::string readAll() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(p_[0], buf, sizeof buf)) > 0)
      out.append(buf, size_t(n));
    return out;
  }
  void closeWriteEnd() {
    close(p_[1]);
    p_[1] = -1;
  }

  int p_[2] = {-1, -1};
};

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  Loopback l;
  if (s == "holds-write-end")
    return l.echoHolding("hello", 5) != "hello";
  if (s == "closes-write-end")
    return l.echoClosing("hello", 5) != "hello";
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

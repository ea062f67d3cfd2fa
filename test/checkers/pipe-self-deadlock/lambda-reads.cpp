// pipe-self-deadlock where the read to end-of-file is in a lambda that
// captures the pipe by reference and is called where it is defined: the
// lambda reads itself, or through a helper it calls. This process still
// holds the write end when it calls the lambda, so end-of-file never
// comes (hang). A lambda that only reads what it captures has a summary of
// its own (it drains the captured end), as a helper given a pointer does.
//
// The near miss closes the write end before the call and finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s reads-itself hang
// RUN: %run_example %s reads-through-helper hang
// RUN: %run_example %s closed-first exit

#include <string>
#include <unistd.h>

static long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int reads_itself() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  (void)!::write(p[1], "hello", 5);
  auto collect = [&] {
    char buf[256];
    long total = 0;
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0)
      total += n;
    return total;
  };
  long got = collect();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  ::close(p[0]);
  ::close(p[1]);
  return got == 5 ? 0 : 1;
}

static int reads_through_helper() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  (void)!::write(p[1], "hello", 5);
  auto collect = [&] { return drain(p[0]); };
  long got = collect();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  ::close(p[0]);
  ::close(p[1]);
  return got == 5 ? 0 : 1;
}

static int closed_first() {
  int p[2];
  if (::pipe(p) < 0)
    return 1;
  (void)!::write(p[1], "hello", 5);
  auto collect = [&] { return drain(p[0]); };
  ::close(p[1]);
  long got = collect();
  ::close(p[0]);
  return got == 5 ? 0 : 1;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "reads-itself")
    return reads_itself();
  if (s == "reads-through-helper")
    return reads_through_helper();
  if (s == "closed-first")
    return closed_first();
  return 2;
}

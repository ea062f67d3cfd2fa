// Honest words and one warning per defect in C++ shapes: a member function
// that throws, a lambda whose pipe comes from a helper, a member function
// that hands the read end to its caller (a reader can wait: a hang). The
// leak scenarios count the open descriptors after 32 calls; the fixed file
// leaves none.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t \
// RUN:   --run-fixed relay-closed:exit --run-fixed probe-leaks:exit \
// RUN:   --run-fixed feed:exit
// RUN: %run_example %s probe-leaks exit
// RUN: %run_example %s relay-leaks exit
// RUN: %run_example %s feed hang
// RUN: %run_example %s all-ok exit

#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <string.h>
#include <unistd.h>

/* Makes a pipe for its caller: 0, or -1 with no pipe. */
static int make_pipe(int fds[2]) { return pipe(fds); }

class Prober {
public:
  /* Sends 'msg' through a pipe of its own and back. A message that does
   * not fit throws, with both ends still open: they leak. No fix-it at a
   * throw. */
  long probe(const std::string &msg) {
    int fds[2];
    char buf[64];

    if (pipe(fds) < 0)
      return -1;
    if (msg.size() > sizeof buf)
      throw std::length_error("message too long");
    // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'probe' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when an exception leaves it here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-5]]:9: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:9: note: taking the true branch
    // CHECK-FIXES: {{^}}      throw std::length_error("message too long");{{$}}
    ssize_t n = write(fds[1], msg.data(), msg.size());
    if (n > 0)
      n = read(fds[0], buf, sizeof buf);
    close(fds[1]);
    close(fds[0]);
    return n;
  }

  /* Fills a pipe whose read end the caller reads to the end: the write
   * end left open on the error path makes that reader block. */
  int feed(const std::string &text, int *rfd) {
    int fds[2];

    if (pipe(fds) < 0)
      return -1;
    *rfd = fds[0];
    if (text.find('\n') != std::string::npos) {
      return -1;
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'feed' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
      // CHECK-NOTES: :[[@LINE-6]]:9: note: pipe created here
      // CHECK-NOTES: :[[@LINE-4]]:9: note: taking the true branch
      // CHECK-FIXES: {{^}}      close(fds[1]); return -1;{{$}}
    }
    write(fds[1], text.data(), text.size());
    close(fds[1]);
    return 0;
  }
};

/* Relays 'text' through a pipe made by a helper; a line too long for the
 * buffer returns early with both ends open. */
auto relay = [](const char *text) -> long {
  int fds[2];
  char buf[32];
  size_t len = strlen(text);

  if (make_pipe(fds) < 0)
    return -1;
  if (len > sizeof buf) {
    return -1;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: this lambda leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-NOTES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-NOTES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-FIXES: {{^}}    close(fds[1]); close(fds[0]); return -1;{{$}}
  }
  ssize_t n = write(fds[1], text, len);
  if (n > 0)
    n = read(fds[0], buf, sizeof buf);
  close(fds[1]);
  close(fds[0]);
  return n;
};

/* ---- scenarios ---------------------------------------------------------- */

static int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  const std::string longer(100, 'x');
  Prober p;
  int before = open_fds();

  if (s == "probe-leaks") {
    for (int i = 0; i < 32; i++) {
      try {
        p.probe(longer);
      } catch (const std::length_error &) {
      }
    }
    return open_fds() - before != 64;
  }
  if (s == "relay-leaks" || s == "relay-closed") {
    for (int i = 0; i < 32; i++)
      relay(longer.c_str());
    return open_fds() - before != (s == "relay-leaks" ? 64 : 0);
  }
  if (s == "feed") {
    int r = -1;
    char buf[64];
    p.feed("two\nlines", &r);
    while (read(r, buf, sizeof buf) > 0) {
    }
    return 0;
  }
  if (s == "all-ok") {
    int r = -1;
    char buf[64];
    if (p.probe("hi") != 2 || relay("hi") != 2 || p.feed("one line", &r) != 0)
      return 1;
    while (read(r, buf, sizeof buf) > 0) {
    }
    close(r);
    return open_fds() != before;
  }
  return 2;
}

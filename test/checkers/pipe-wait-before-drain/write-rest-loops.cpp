// A loop that writes the rest of a buffer to a child's standard input
// (`while (left > 0) { n = write(fd, p, left); ...; left -= n; }`)
// writes, in all, what was left when it began. Written before the child's
// standard output is read, it can deadlock only when that is more than
// the input pipe holds: `cat` copies its input to its output, whose pipe
// fills at 64 KiB; the child then stops reading, its input pipe fills
// too, and the write of 300000 bytes never finishes. A short message (a
// literal, the length of an error text) fits, whatever number of turns
// the loop takes: no warning. A size only the caller knows is an amount
// we cannot bound. The child is started by a helper that returns it in a
// struct; the writes are a member function's.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -std=c++17
// RUN: %run_example %s big hang
// RUN: %run_example %s sized-big hang
// RUN: %run_example %s short exit
// RUN: %run_example %s message exit

#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct Filter {
  pid_t pid = -1;
  int in = -1, out = -1;
};

static Filter start_filter(const char *prog) {
  Filter f;
  int to[2], from[2];
  if (pipe(to) != 0)
    return f;
  if (pipe(from) != 0) {
    close(to[0]);
    close(to[1]);
    return f;
  }
  f.pid = fork();
  if (f.pid == 0) {
    dup2(to[0], STDIN_FILENO);
    dup2(from[1], STDOUT_FILENO);
    close(to[0]);
    close(to[1]);
    close(from[0]);
    close(from[1]);
    execlp(prog, prog, (char *)nullptr);
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  if (f.pid < 0) {
    close(to[1]);
    close(from[0]);
    return f;
  }
  f.in = to[1];
  f.out = from[0];
  return f;
}

static char big[300000];

class Sorter {
public:
  // All 300000 bytes in before any output is read.
  long big_first() {
    Filter f = start_filter("cat");
    if (f.pid < 0)
      return -1;
    size_t left = sizeof big;
    const char *p = big;
    while (left > 0) {
      ssize_t n = write(f.in, p, left);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: writing 300000 bytes to the standard input 'f.in' of child process 'f.pid' before reading its standard output 'f.out' can deadlock: once the output pipe is full (65536 bytes) the child stops reading its input, and this write never finishes; write from another thread, or poll both pipes [pipe-wait-before-drain]
      // CHECK-MESSAGES: :[[@LINE-8]]:16: note: child process 'f.pid' starts here; it makes 'from[1] in start_filter()' its standard output, where it may write any amount
      // CHECK-MESSAGES: :[[@LINE-9]]:16: note: output pipe created here
      // CHECK-MESSAGES: :[[@LINE+7]]:12: note: 'f.out' is read only here, after the write
      if (n < 0)
        break;
      p += n;
      left -= size_t(n);
    }
    close(f.in);
    return finish(f);
  }

  // The caller's size: 300000 bytes from main().
  long sized_first(size_t len) {
    Filter f = start_filter("cat");
    if (f.pid < 0)
      return -1;
    size_t done = 0;
    while (done < len) {
      ssize_t n = write(f.in, big + done, len - done);
      // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: writing an amount we cannot bound to the standard input 'f.in' of child process 'f.pid' before reading its standard output 'f.out' can deadlock: once the output pipe is full (65536 bytes) the child stops reading its input, and this write never finishes; write from another thread, or poll both pipes [pipe-wait-before-drain]
      // CHECK-MESSAGES: :[[@LINE-7]]:16: note: child process 'f.pid' starts here; it makes 'from[1] in start_filter()' its standard output, where it may write any amount
      // CHECK-MESSAGES: :[[@LINE-8]]:16: note: output pipe created here
      // CHECK-MESSAGES: :[[@LINE+7]]:12: note: 'f.out' is read only here, after the write
      // CHECK-MESSAGES: :[[@LINE-6]]:12: note: the loop condition is true: entering the loop body
      if (n <= 0)
        break;
      done += size_t(n);
    }
    close(f.in);
    return finish(f);
  }

  // Near-miss: a short literal, counted down.
  long short_first() {
    Filter f = start_filter("cat");
    if (f.pid < 0)
      return -1;
    const char text[] = "pear\napple\n";
    size_t left = sizeof text - 1;
    const char *p = text;
    while (left > 0) {
      ssize_t n = write(f.in, p, left);
      if (n < 0)
        break;
      p += n;
      left -= size_t(n);
    }
    close(f.in);
    return finish(f);
  }

  // Near-miss: the length of a message.
  long message_first(const char *msg) {
    Filter f = start_filter("cat");
    if (f.pid < 0)
      return -1;
    size_t left = strlen(msg);
    while (left > 0) {
      ssize_t n = write(f.in, msg, left);
      if (n <= 0)
        break;
      msg += n;
      left -= size_t(n);
    }
    close(f.in);
    return finish(f);
  }

private:
  static long finish(Filter &f) {
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(f.out, buf, sizeof buf)) > 0)
      total += n;
    close(f.out);
    int status = 0;
    if (waitpid(f.pid, &status, 0) != f.pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      return -1;
    return total;
  }
};

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  Sorter sorter;
  if (s == "big")
    return sorter.big_first() == long(sizeof big) ? 0 : 1;
  if (s == "sized-big")
    return sorter.sized_first(sizeof big) == long(sizeof big) ? 0 : 1;
  if (s == "short")
    return sorter.short_first() == 11 ? 0 : 1;
  if (s == "message")
    return sorter.message_first("no such file or directory\n") == 26 ? 0 : 1;
  return 2;
}

// pipe-unclosed-write-end where the program that inherits a write end is
// started by a member function: Subprocess::start() makes the child's
// input pipe with plain pipe(), forks, and its child runs sort; the parent
// keeps the write end in a member until close_input(). A second
// Subprocess started meanwhile inherits the first one's write end, so the
// first sort never sees end-of-file while the second runs, and the wait
// for it never returns. The same when the caller's own pipe is open while
// start() runs. Each scenario hangs.
//
// The near misses finish: the first input closed before the second start,
// and a SafeSubprocess, whose pipe has O_CLOEXEC.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s second-object hang
// RUN: %run_example %s callers-pipe hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s cloexec exit

#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

class Subprocess {
public:
  bool start() {
    int in[2];
    if (::pipe(in) != 0)
      return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::close(in[0]);
      ::close(in[1]);
      ::execlp("sort", "sort", static_cast<char *>(nullptr));
      ::_exit(127);
    }
    ::close(in[0]);
    in_ = in[1];
    return pid_ > 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in_' of the pipe leaves 'start' here without O_CLOEXEC, and 'second_object' starts a program with 'start' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'start' [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-14]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+55]]:8: note: the program started here inherits 'a.in_', which 'second_object' got from 'start'
  }
  void close_input() {
    if (in_ >= 0)
      ::close(in_);
    in_ = -1;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private:
  pid_t pid_ = -1;
  int in_ = -1;
};

// The same with pipe2(..., O_CLOEXEC): no other child inherits its input.
class SafeSubprocess {
public:
  bool start() {
    int in[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
      return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::execlp("sort", "sort", static_cast<char *>(nullptr));
      ::_exit(127);
    }
    ::close(in[0]);
    in_ = in[1];
    return pid_ > 0;
  }
  void close_input() {
    if (in_ >= 0)
      ::close(in_);
    in_ = -1;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private:
  pid_t pid_ = -1;
  int in_ = -1;
};

static int second_object() {
  Subprocess a, b;
  if (!a.start())
    return 1;
  if (!b.start())
    return 1;
  a.close_input();
  int rc = a.wait();
  b.close_input();
  return rc | b.wait();
}

static int callers_pipe() {
  int p[2];
  if (::pipe(p) != 0)
    return 1;
  Subprocess s;
  if (!s.start())
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: write end 'p[1]' is inherited by the child that 'start' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    return 1;
  ::close(p[1]);
  char c;
  while (::read(p[0], &c, 1) > 0) {
  }
  ::close(p[0]);
  s.close_input();
  return s.wait();
}

static int closed_first() {
  Subprocess a, b;
  if (!a.start())
    return 1;
  a.close_input();
  if (!b.start())
    return 1;
  int rc = a.wait();
  b.close_input();
  return rc | b.wait();
}

static int cloexec() {
  SafeSubprocess a, b;
  if (!a.start())
    return 1;
  if (!b.start())
    return 1;
  a.close_input();
  int rc = a.wait();
  b.close_input();
  return rc | b.wait();
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "second-object")
    return second_object();
  if (s == "callers-pipe")
    return callers_pipe();
  if (s == "closed-first")
    return closed_first();
  if (s == "cloexec")
    return cloexec();
  return 2;
}

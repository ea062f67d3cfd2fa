// Findings of pipe-unclosed-write-end in C++ through helpers of the same
// file: a static member function and a free function in a namespace that
// return bool, and a struct filled through a pointer. Each finding's
// scenario hangs in the read loop; the near-misses (a reference parameter
// and a non-static member, whose pipes the caller closes, and a closer)
// terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s static-member hang
// RUN: %run_example %s namespace-bool hang
// RUN: %run_example %s struct hang
// RUN: %run_example %s reference exit
// RUN: %run_example %s member exit
// RUN: %run_example %s closer exit

#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Pipes {
  static bool open(int fds[2])
  {
    if (::pipe(fds) != 0)
      return false;
    return true;
  }
};

namespace io {
bool make_pipe(int *fds) { return Pipes::open(fds); }
void close_both(int *fds)
{
  ::close(fds[0]);
  ::close(fds[1]);
}
} // namespace io

struct Channel {
  int rd = -1;
  int wr = -1;
};

int open_channel(Channel *c)
{
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  c->rd = p[0];
  c->wr = p[1];
  return 0;
}

/* A reference parameter (see cross-function-members.cpp for findings). */
bool make_pipe_ref(int (&fds)[2]) { return ::pipe(fds) == 0; }

struct Maker {
  bool open(int fds[2]) { return ::pipe(fds) == 0; }
};

ssize_t drain(int fd)
{
  char buf[256];
  ssize_t n, total = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

} // namespace

/* ---- findings ----------------------------------------------------------- */

ssize_t capture_static_member()
{
  int fds[2];
  if (!Pipes::open(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_static_member' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_namespace_bool()
{
  int fds[2];
  if (!io::make_pipe(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_namespace_bool' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_struct()
{
  Channel c;
  if (open_channel(&c) < 0)
    return -1;
  if (fork() == 0) {
    (void)::write(c.wr, "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(c.rd);
  ::close(c.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'c.wr' of the pipe is still open when 'capture_struct' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

/* ---- near-misses -------------------------------------------------------- */

int reference_param()
{
  int fds[2];
  if (!make_pipe_ref(fds))
    return -1;
  ::close(fds[0]);
  ::close(fds[1]);
  return 0;
}

int member_maker()
{
  int fds[2];
  Maker m;
  if (!m.open(fds))
    return -1;
  ::close(fds[0]);
  ::close(fds[1]);
  return 0;
}

ssize_t capture_closer()
{
  int fds[2];
  if (!io::make_pipe(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ::close(fds[1]);
  ssize_t total = drain(fds[0]);
  io::close_both(fds);
  return total;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "static-member") == 0)
    return capture_static_member() != 6;
  if (std::strcmp(s, "namespace-bool") == 0)
    return capture_namespace_bool() != 6;
  if (std::strcmp(s, "struct") == 0)
    return capture_struct() != 6;
  if (std::strcmp(s, "reference") == 0)
    return reference_param() != 0;
  if (std::strcmp(s, "member") == 0)
    return member_maker() != 0;
  if (std::strcmp(s, "closer") == 0)
    return capture_closer() != 6;
  return 2;
}

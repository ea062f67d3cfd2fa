// The C++ shape of nested-flag-join.c: a member function, the options in a
// struct passed by const reference (two nested tests of plain bools), the
// escaping object a local struct. The pair is made only when a channel is
// asked for and the session is not traced, and 'ch[0]' is handed off after
// the retry loop under the outer test again: only 'ch[1]' leaks, and the
// report names it alone. The program runs all three ways and exits 0 only
// when exactly one descriptor is left open.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s leak exit

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
int handed[8];
int nhanded;
void keep(int fd) { if (nhanded < 8) handed[nhanded++] = fd; }
void noteWatch(int fd, void *) {}
void (*volatile attach)(int) = keep;
void (*volatile watch)(int, void *) = noteWatch;
int ttyFd = 0;
} // namespace

struct Options {
  bool channel;
  bool traced;
  bool quiet;
};

class Session {
public:
  int start(const Options &opt, int status);

private:
  struct Loop {
    int watched = 0;
  } loop_;
};

int Session::start(const Options &opt, int status)
{
  int sv[2], ch[2] = {-1, -1};
  Loop local;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    std::abort();
  if (opt.channel) {
    if (!opt.traced) {
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, ch) == -1)
        std::abort();
    }
  }
  if (ttyFd != -1) {
    if (!opt.quiet)
      watch(ttyFd, &local);
    watch(ttyFd, &local);
  }
  pid_t pid = fork();
  switch (pid) {
  case -1:
    std::abort();
  case 0:
    close(sv[0]);
    _exit(0);
  }
  while (send(sv[0], &status, sizeof status, 0) == -1)
    continue;
  close(sv[1]);
  if (opt.channel)
    attach(ch[0]);
  close(sv[0]);
  waitpid(pid, nullptr, 0);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'start' leaks the end 'ch[1]' of the socket pair when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-26]]:11: note: socket pair created here
  // CHECK-MESSAGES: :[[@LINE-28]]:9: note: taking the true branch
}

static int openFds()
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

int main(int argc, char **argv)
{
  if (argc < 2 || std::strcmp(argv[1], "leak") != 0)
    return 2;
  Session s;
  int before = openFds();
  s.start(Options{false, false, false}, 0);
  s.start(Options{true, true, false}, 0);
  if (openFds() != before)
    return 1; // nothing is made on these paths
  s.start(Options{true, false, false}, 0);
  for (int i = 0; i < nhanded; i++)
    close(handed[i]); // what attach() was given: 'ch[0]'
  return openFds() != before + 1; // 'ch[1]', and only it, leaked
}

// pipe-unclosed-write-end in C++: a pipe or socket pair made again in a
// loop while the ends the last turn made are open. A member function's
// dispatch loop that keeps its read ends in a std::vector member and
// starts each worker through a lambda; a `while (true)` loop over a
// socket pair kept in a struct. One warning per loop, at the call made
// again, with the branch of the turn that went round without the close.
// The leak scenarios abort when exactly 16 more descriptors are open; the
// near miss closes both ends on every path and finishes.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s dispatch-leak abort
// RUN: %run_example %s channel-leak abort
// RUN: %run_example %s dispatch-closed exit

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

static int open_descriptors() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

class Dispatcher {
public:
  explicit Dispatcher(bool CloseOnFailure) : CloseOnFailure(CloseOnFailure) {}
  ~Dispatcher() {
    for (int fd : Readers)
      ::close(fd);
    while (::waitpid(-1, nullptr, 0) > 0) {
    }
  }
  void dispatch(int Jobs);
  void dispatchClosed(int Jobs);

private:
  bool CloseOnFailure;
  std::vector<int> Readers;
};

// Out of processes for every third job.
static pid_t startJob(int Job) {
  if (Job % 3 == 2) {
    errno = EAGAIN;
    return -1;
  }
  return ::fork();
}

void Dispatcher::dispatch(int Jobs) {
  auto Start = [](int Job) { return startJob(Job); };
  for (int Job = 0; Job < Jobs; ++Job) {
    int Fds[2];
    if (::pipe(Fds) == -1)
      continue;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'dispatch' makes this pipe again while the write end 'Fds[1]' and the read end 'Fds[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    pid_t Pid = Start(Job);
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (Pid == -1) {
      std::perror("fork");
      continue;
    }
    if (Pid == 0) {
      ::close(Fds[0]);
      ::_exit(::write(Fds[1], "ok", 2) != 2);
    }
    ::close(Fds[1]);
    Readers.push_back(Fds[0]);
  }
}

// Near miss: the same loop, closing both ends when the job cannot start.
void Dispatcher::dispatchClosed(int Jobs) {
  auto Start = [](int Job) { return startJob(Job); };
  for (int Job = 0; Job < Jobs; ++Job) {
    int Fds[2];
    if (::pipe(Fds) == -1)
      continue;
    pid_t Pid = Start(Job);
    if (Pid == -1) {
      ::close(Fds[0]);
      ::close(Fds[1]);
      continue;
    }
    if (Pid == 0) {
      ::close(Fds[0]);
      ::_exit(::write(Fds[1], "ok", 2) != 2);
    }
    ::close(Fds[1]);
    Readers.push_back(Fds[0]);
  }
}

struct Channel {
  int Sv[2];
  int Kind;
};

static bool wanted(int Kind) { return Kind != 2; }

// A message loop over a socket pair per message: an unwanted kind goes
// round again with both ends open.
void pumpMessages(int Count) {
  int Sent = 0;
  while (true) {
    Channel C;
    if (Sent == Count)
      break;
    C.Kind = Sent++ % 3;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, C.Sv) != 0)
      break;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'pumpMessages' makes this socket pair again while the end 'C.Sv[0]' and the end 'C.Sv[1]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (!wanted(C.Kind))
      continue;
    if (::write(C.Sv[0], "m", 1) != 1)
      std::perror("write");
    ::close(C.Sv[0]);
    ::close(C.Sv[1]);
  }
}

int main(int argc, char **argv) {
  const char *S = argc > 1 ? argv[1] : "";
  int Before = open_descriptors();
  if (std::strcmp(S, "dispatch-leak") == 0) {
    {
      Dispatcher D(false);
      D.dispatch(24); // 8 of the 24 jobs cannot start
    }
    if (open_descriptors() - Before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(S, "channel-leak") == 0) {
    pumpMessages(24);
    if (open_descriptors() - Before == 16)
      std::abort();
    return 0;
  }
  if (std::strcmp(S, "dispatch-closed") == 0) {
    {
      Dispatcher D(true);
      D.dispatchClosed(24);
    }
    return open_descriptors() != Before;
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", S);
  return 2;
}

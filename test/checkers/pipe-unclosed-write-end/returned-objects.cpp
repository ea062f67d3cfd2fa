// C++: a factory (a free function or a static member function) that
// allocates a struct with `new`, makes a pipe into it and returns the
// pointer (nullptr on failure) gives the caller the object: a member
// function or a lambda that deletes it on an error path without closing
// the ends leaks them. Closing them before the delete is silent. The leak
// scenarios abort when two more descriptors are open; the near-miss exits
// 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s method abort
// RUN: %run_example %s lambda abort
// RUN: %run_example %s closed exit

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

static int open_descriptors() {
  int N = 0;
  for (int Fd = 0; Fd < 1024; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0)
      ++N;
  return N;
}

struct Link {
  int Fds[2];
  int Peer = 0;
  static Link *make() {
    Link *L = new Link;
    if (pipe(L->Fds) != 0) {
      delete L;
      return nullptr;
    }
    return L;
  }
};

static Link *connect(int Peer) {
  Link *L = Link::make();
  if (!L)
    return nullptr;
  L->Peer = Peer;
  return L;
}

static void release(Link *L) {
  close(L->Fds[0]);
  close(L->Fds[1]);
  delete L;
}

class Router {
public:
  bool add(int Peer) {
    Link *L = connect(Peer);
    if (!L)
      return false;
    if (Peer <= 0 || Peer >= 100) {
      delete L;
      return false;
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'add' leaks the write end 'L->Fds[1]' (and the read end 'L->Fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-7]]:15: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:9: note: taking the true branch
    }
    release(L);
    return true;
  }
};

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *S = argv[1];
  int Before = open_descriptors();
  if (!strcmp(S, "method")) {
    Router R;
    R.add(1000);
    if (open_descriptors() == Before + 2)
      abort();
    return 1;
  }
  if (!strcmp(S, "lambda")) {
    auto Try = [](int Peer) {
      Link *L = Link::make();
      if (!L)
        return -1;
      if (Peer <= 0) {
        delete L;
        return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: this lambda leaks the write end 'L->Fds[1]' (and the read end 'L->Fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-7]]:17: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:11: note: taking the true branch
      }
      release(L);
      return 0;
    };
    Try(-1);
    if (open_descriptors() == Before + 2)
      abort();
    return 1;
  }
  if (!strcmp(S, "closed")) {
    Link *L = connect(7);
    if (!L)
      return 1;
    release(L);
    return open_descriptors() == Before ? 0 : 1;
  }
  return 2;
}

// `new T` of a struct whose destructor does nothing is followed like a
// local: a pipe made into it leaks on a path that deletes it (or returns)
// without closing the ends, in a function, a member function or a lambda.
// A class whose destructor does something (it may close the ends), an
// object that is returned, stored in a member or given to a function that
// may keep it, is the new holder's: nothing is reported. The leak
// scenarios abort when two more descriptors are open; the near-misses
// exit 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s delete-on-error abort
// RUN: %run_example %s method abort
// RUN: %run_example %s lambda abort
// RUN: %run_example %s returned exit
// RUN: %run_example %s owner-dtor exit
// RUN: %run_example %s member exit

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

static int open_descriptors() {
  int N = 0;
  for (int Fd = 0; Fd < 1024; ++Fd)
    if (fcntl(Fd, F_GETFD) >= 0)
      ++N;
  return N;
}

struct Pair {
  int fds[2];
  int id;
};

static bool valid(int Id) { return Id > 0 && Id < 100; }

static int delete_on_error(int Id) {
  Pair *P = new Pair();
  if (pipe(P->fds) < 0) {
    delete P;
    return -1;
  }
  if (!valid(Id)) {
    delete P;
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'delete_on_error' leaks the write end 'P->fds[1]' (and the read end 'P->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  close(P->fds[0]);
  close(P->fds[1]);
  delete P;
  return 0;
}

class Pool {
public:
  bool add(int Id) {
    auto *P = new Pair;
    if (pipe(P->fds) < 0) {
      delete P;
      return false;
    }
    if (!valid(Id)) {
      delete P;
      return false;
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'add' leaks the write end 'P->fds[1]' (and the read end 'P->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:9: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:9: note: taking the true branch
    }
    Items.push_back(P);
    return true;
  }
  ~Pool() {
    for (Pair *P : Items) {
      close(P->fds[0]);
      close(P->fds[1]);
      delete P;
    }
  }

private:
  std::vector<Pair *> Items;
};

static Pair *returned() {
  auto *P = new Pair;
  if (pipe(P->fds) < 0) {
    delete P;
    return nullptr;
  }
  return P;
}

class Owner {
public:
  int fds[2] = {-1, -1};
  ~Owner() {
    if (fds[0] >= 0)
      close(fds[0]);
    if (fds[1] >= 0)
      close(fds[1]);
  }
};

static int owner_dtor(int Id) {
  Owner *O = new Owner;
  if (pipe(O->fds) < 0) {
    delete O;
    return -1;
  }
  if (!valid(Id)) {
    delete O;
    return -1;
  }
  delete O;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *S = argv[1];
  int Before = open_descriptors();
  if (!strcmp(S, "delete-on-error")) {
    delete_on_error(1000);
    if (open_descriptors() == Before + 2)
      abort();
    return 1;
  }
  if (!strcmp(S, "method")) {
    {
      Pool P;
      P.add(1000);
    }
    if (open_descriptors() == Before + 2)
      abort();
    return 1;
  }
  if (!strcmp(S, "lambda")) {
    auto Make = [](int Id) {
      Pair *P = new Pair{};
      if (pipe(P->fds) < 0) {
        delete P;
        return false;
      }
      if (!valid(Id)) {
        delete P;
        return false;
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: this lambda leaks the write end 'P->fds[1]' (and the read end 'P->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:11: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:11: note: taking the true branch
      }
      close(P->fds[0]);
      close(P->fds[1]);
      delete P;
      return true;
    };
    Make(1000);
    if (open_descriptors() == Before + 2)
      abort();
    return 1;
  }
  if (!strcmp(S, "returned")) {
    Pair *P = returned();
    if (!P)
      return 1;
    close(P->fds[0]);
    close(P->fds[1]);
    delete P;
    return open_descriptors() == Before ? 0 : 1;
  }
  if (!strcmp(S, "owner-dtor")) {
    owner_dtor(1000);
    owner_dtor(5);
    return open_descriptors() == Before ? 0 : 1;
  }
  if (!strcmp(S, "member")) {
    {
      Pool P;
      P.add(5);
      P.add(6);
    }
    return open_descriptors() == Before ? 0 : 1;
  }
  return 2;
}

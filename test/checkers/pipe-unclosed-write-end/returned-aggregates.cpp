// Findings of pipe-unclosed-write-end in C++ where a helper returns both
// ends of a pipe by value in an aggregate: a std::pair (`return {fds[0],
// fds[1]};`, `return std::make_pair(...)`), a std::tuple, a std::array, a
// struct built in the return statement, a class whose constructor copies
// its parameters into members, a struct passed up through two and three
// helpers; the caller reads them with `.first`, `std::get<1>(t)`, `a[1]`,
// members, structured bindings, a copy of the aggregate, or an assignment
// to a variable declared before. Failure is told
// by the members (`{-1, -1}`). Each finding's scenario forks a writer and
// reads the pipe to the end while the write end stays open (hang); the
// thread scenario gives the write end to a thread that never closes it
// (the reach suite's thread_routine_never_closes). The near-misses (the
// caller closes both, the helper's `{-1, -1}` tested before use, the write
// end or the whole pair stored in a global, a class whose destructor closes both) terminate
// and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s pair-members hang
// RUN: %run_example %s pair-binding hang
// RUN: %run_example %s tuple-get hang
// RUN: %run_example %s tuple-binding hang
// RUN: %run_example %s array hang
// RUN: %run_example %s struct-braced hang
// RUN: %run_example %s class-ctor hang
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s copied hang
// RUN: %run_example %s assigned hang
// RUN: %run_example %s thread hang
// RUN: %run_example %s closed-both exit
// RUN: %run_example %s failure-tested exit
// RUN: %run_example %s global exit
// RUN: %run_example %s owned exit
// RUN: %run_example %s global-whole exit

#include <array>
#include <cstring>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

/* ---- helpers ------------------------------------------------------------ */

std::pair<int, int> make_pipe_pair()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

std::pair<int, int> make_pipe_mp()
{
  int fds[2];
  if (pipe(fds) < 0)
    return std::make_pair(-1, -1);
  return std::make_pair(fds[0], fds[1]);
}

std::tuple<int, int> make_pipe_tuple()
{
  int fds[2];
  if (pipe(fds) < 0)
    return std::make_tuple(-1, -1);
  return std::tuple<int, int>(fds[0], fds[1]);
}

std::array<int, 2> make_pipe_array()
{
  std::array<int, 2> a;
  if (pipe(a.data()) < 0)
    return {-1, -1};
  return a;
}

struct Ends {
  int rd;
  int wr;
};

Ends make_ends()
{
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

Ends make_ends_2() { return make_ends(); }

Ends make_ends_3()
{
  Ends e = make_ends_2();
  return e;
}

class FdPair {
public:
  FdPair(int r, int w) : rd_(r), wr_(w) {}
  int rd_;
  int wr_;
};

FdPair open_fd_pair()
{
  int fds[2];
  if (pipe(fds) < 0)
    return FdPair(-1, -1);
  return FdPair(fds[0], fds[1]);
}

/* Its destructor closes both ends: the object owns them. */
class OwnedPipe {
public:
  OwnedPipe(int r, int w) : rd_(r), wr_(w) {}
  OwnedPipe(const OwnedPipe &) = delete;
  OwnedPipe &operator=(const OwnedPipe &) = delete;
  ~OwnedPipe()
  {
    if (rd_ >= 0)
      close(rd_);
    if (wr_ >= 0)
      close(wr_);
  }
  int rd_;
  int wr_;
};

OwnedPipe open_owned_pipe()
{
  int fds[2];
  if (pipe(fds) < 0)
    return OwnedPipe(-1, -1);
  return OwnedPipe(fds[0], fds[1]);
}

int g_keep_fd = -1;
std::pair<int, int> g_pair{-1, -1};

ssize_t drain(int fd)
{
  char buf[256];
  ssize_t n, total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

void spawn_writer(int wr)
{
  if (fork() == 0) {
    (void)write(wr, "hello\n", 6);
    _exit(0);
  }
}

void produce(int out, int count)
{
  for (int i = 0; i < count; ++i)
    (void)write(out, "line\n", 5);
  // returns without close(out)
}

/* ---- findings ----------------------------------------------------------- */

ssize_t pair_members()
{
  std::pair<int, int> p = make_pipe_pair();
  if (p.first < 0)
    return -1;
  spawn_writer(p.second);
  ssize_t total = drain(p.first);
  close(p.first);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.second' of the pipe is still open when 'pair_members' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:27: note: pipe created here
}

ssize_t pair_binding()
{
  auto [rd, wr] = make_pipe_mp();
  if (rd < 0)
    return -1;
  spawn_writer(wr);
  ssize_t total = drain(rd);
  close(rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'wr' of the pipe is still open when 'pair_binding' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: pipe created here
}

ssize_t tuple_get()
{
  std::tuple<int, int> t = make_pipe_tuple();
  if (std::get<0>(t) < 0)
    return -1;
  spawn_writer(std::get<1>(t));
  ssize_t total = drain(std::get<0>(t));
  close(std::get<0>(t));
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'std::get<1>(t)' of the pipe is still open when 'tuple_get' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:28: note: pipe created here
}

ssize_t tuple_binding()
{
  auto [rd, wr] = make_pipe_tuple();
  if (rd < 0)
    return -1;
  spawn_writer(wr);
  ssize_t total = drain(rd);
  close(rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'wr' of the pipe is still open when 'tuple_binding' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: pipe created here
}

ssize_t array_elements()
{
  std::array<int, 2> a = make_pipe_array();
  if (a[0] < 0)
    return -1;
  spawn_writer(a[1]);
  ssize_t total = drain(a[0]);
  close(a[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'a[1]' of the pipe is still open when 'array_elements' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:26: note: pipe created here
}

ssize_t struct_braced()
{
  Ends e = make_ends();
  if (e.rd < 0)
    return -1;
  spawn_writer(e.wr);
  ssize_t total = drain(e.rd);
  close(e.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'e.wr' of the pipe is still open when 'struct_braced' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:12: note: pipe created here
}

ssize_t class_ctor()
{
  FdPair f = open_fd_pair();
  if (f.rd_ < 0)
    return -1;
  spawn_writer(f.wr_);
  ssize_t total = drain(f.rd_);
  close(f.rd_);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'f.wr_' of the pipe is still open when 'class_ctor' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:14: note: pipe created here
}

ssize_t depth3()
{
  auto [rd, wr] = make_ends_3();
  if (rd < 0)
    return -1;
  spawn_writer(wr);
  ssize_t total = drain(rd);
  close(rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'wr' of the pipe is still open when 'depth3' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: pipe created here
}

ssize_t copied()
{
  std::pair<int, int> p = make_pipe_pair();
  std::pair<int, int> q = p;
  if (q.first < 0)
    return -1;
  spawn_writer(q.second);
  ssize_t total = drain(q.first);
  close(q.first);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.second' of the pipe is still open when 'copied' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:27: note: pipe created here
}

/* Assigned to a variable declared before. */
ssize_t assigned()
{
  Ends e{-1, -1};
  e = make_ends_2();
  if (e.wr < 0)
    return -1;
  spawn_writer(e.wr);
  ssize_t total = drain(e.rd);
  close(e.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'e.wr' of the pipe is still open when 'assigned' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
}

std::string collect()
{
  auto [rd, wr] = make_pipe_pair();
  if (rd < 0)
    return {};
  std::thread t(produce, wr, 10);
  std::string all;
  char buf[128];
  ssize_t n;
  while ((n = read(rd, buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: the thread running 'produce' writes 'wr' and never closes it, so reading 'rd' to end-of-file blocks forever; {{.*}} [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-9]]:19: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: the thread running 'produce' starts here, given 'wr'
    all.append(buf, static_cast<size_t>(n));
  t.join();
  close(rd);
  return all;
}

/* ---- near-misses -------------------------------------------------------- */

ssize_t closed_both()
{
  auto [rd, wr] = make_pipe_tuple();
  if (rd < 0)
    return -1;
  spawn_writer(wr);
  close(wr);
  ssize_t total = drain(rd);
  close(rd);
  return total;
}

/* The helper's {-1, -1} is tested before the ends are used. */
ssize_t failure_tested()
{
  std::array<int, 2> a = make_pipe_array();
  if (a[1] < 0)
    return -1;
  close(a[1]);
  close(a[0]);
  return 6;
}

int global()
{
  std::pair<int, int> p = make_pipe_mp();
  if (p.first < 0)
    return -1;
  g_keep_fd = p.second;
  close(p.first);
  return 0;
}

/* The whole pair goes to a global. */
int global_whole()
{
  g_pair = make_pipe_pair();
  if (g_pair.first < 0)
    return -1;
  close(g_pair.first);
  return 0;
}

/* The object's destructor closes both ends when it returns. */
int owned()
{
  OwnedPipe p = open_owned_pipe();
  char c = 0;
  if (p.rd_ < 0)
    return -1;
  (void)write(p.wr_, "x", 1);
  (void)read(p.rd_, &c, 1);
  return c == 'x' ? 0 : 1;
}

} // namespace

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "pair-members") == 0)
    return pair_members() != 6;
  if (strcmp(s, "pair-binding") == 0)
    return pair_binding() != 6;
  if (strcmp(s, "tuple-get") == 0)
    return tuple_get() != 6;
  if (strcmp(s, "tuple-binding") == 0)
    return tuple_binding() != 6;
  if (strcmp(s, "array") == 0)
    return array_elements() != 6;
  if (strcmp(s, "struct-braced") == 0)
    return struct_braced() != 6;
  if (strcmp(s, "class-ctor") == 0)
    return class_ctor() != 6;
  if (strcmp(s, "depth3") == 0)
    return depth3() != 6;
  if (strcmp(s, "copied") == 0)
    return copied() != 6;
  if (strcmp(s, "assigned") == 0)
    return assigned() != 6;
  if (strcmp(s, "thread") == 0)
    return collect().size() != 50;
  if (strcmp(s, "closed-both") == 0) {
    ssize_t n = closed_both();
    while (wait(nullptr) > 0) {
    }
    return n != 6;
  }
  if (strcmp(s, "failure-tested") == 0)
    return failure_tested() != 6;
  if (strcmp(s, "global-whole") == 0) {
    int r = global_whole();
    close(g_pair.second);
    return r;
  }
  if (strcmp(s, "owned") == 0)
    return owned();
  if (strcmp(s, "global") == 0) {
    int r = global();
    close(g_keep_fd);
    return r;
  }
  return 2;
}

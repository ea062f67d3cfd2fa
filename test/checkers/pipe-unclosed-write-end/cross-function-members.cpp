// Findings of pipe-unclosed-write-end in C++ where the pipe is made or
// closed behind a reference parameter (`int (&)[2]`, `int &`, `Pipe &`), a
// member function working on `this` (called as `c.open()`, `cp->open()`,
// `this->open()` inside another member), a lambda called as a helper, or a
// struct returned by value; and the class model: a member write end that no
// method and not the destructor ever closes. Each finding's scenario reads
// the pipe to the end while the write end stays open (hang), or shows the
// leaked descriptor still open after the object is gone. The near-misses
// (the helper, member or lambda does close on every path, the destructor
// closes, the member is stored in a global) terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s ref-array hang
// RUN: %run_example %s ref-array-depth3 hang
// RUN: %run_example %s ref-ints hang
// RUN: %run_example %s ref-struct hang
// RUN: %run_example %s member hang
// RUN: %run_example %s member-pointer hang
// RUN: %run_example %s member-this hang
// RUN: %run_example %s lambda-param hang
// RUN: %run_example %s lambda-capture-one-path hang
// RUN: %run_example %s returned-struct hang
// RUN: %run_example %s class-leak exit
// RUN: %run_example %s ref-closer exit
// RUN: %run_example %s ref-int-closer exit
// RUN: %run_example %s member-closer exit
// RUN: %run_example %s member-closer-pointer exit
// RUN: %run_example %s lambda-closer exit
// RUN: %run_example %s returned-struct-closed exit
// RUN: %run_example %s member-global exit
// RUN: %run_example %s class-dtor-closes exit
// RUN: %run_example %s class-close-method exit

#include <cstring>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

/* ---- helpers ------------------------------------------------------------ */

bool make_pipe_ref(int (&fds)[2]) { return ::pipe(fds) == 0; }
bool make_pipe_ref2(int (&fds)[2]) { return make_pipe_ref(fds); }
bool make_pipe_ref3(int (&fds)[2])
{
  if (!make_pipe_ref2(fds))
    return false;
  return true;
}

int open_pair_ref(int &rd, int &wr)
{
  int p[2];
  if (::pipe(p) < 0)
    return -1;
  rd = p[0];
  wr = p[1];
  return 0;
}

struct Pipe {
  int fds[2];
};

bool pipe_open(Pipe &p) { return ::pipe(p.fds) == 0; }
void pipe_close(Pipe &p)
{
  ::close(p.fds[0]);
  ::close(p.fds[1]);
}

void close_ref(int &fd)
{
  ::close(fd);
  fd = -1;
}

struct Pair {
  int rd;
  int wr;
};

/* On failure both members are -1. */
Pair make_pair_or_fail()
{
  Pair p;
  int f[2];
  if (::pipe(f) < 0) {
    p.rd = p.wr = -1;
    return p;
  }
  p.rd = f[0];
  p.wr = f[1];
  return p;
}

int g_log_fd = -1;

/* A pipe the caller keeps in a plain struct with public members. */
struct Chan {
  bool open() { return ::pipe(fds_) == 0; }
  bool reopen() { return this->open(); }
  void close_all()
  {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  void close_writer() { ::close(fds_[1]); }
  void publish() { g_log_fd = fds_[1]; }
  int fds_[2];
};

ssize_t drain(int fd)
{
  char buf[256];
  ssize_t n, total = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* The write end lives in a member that only the read end's close in the
 * destructor forgets. */
class Logger {
public:
  Logger()
  {
    if (::pipe(fds_) < 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: write end 'fds_[1]' of this pipe is kept in a member of 'Logger' that no method of 'Logger' closes, not even its destructor: every 'Logger' object leaks it; close 'fds_[1]' in the destructor [pipe-unclosed-write-end]
      fds_[0] = fds_[1] = -1;
  }
  ~Logger() { ::close(fds_[0]); }

private:
  int fds_[2];
};

/* Near-miss: the destructor closes both. */
class Sink {
public:
  Sink()
  {
    if (::pipe(fds_) < 0)
      fds_[0] = fds_[1] = -1;
  }
  ~Sink()
  {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  void put(const char *s) { (void)::write(fds_[1], s, std::strlen(s)); }

private:
  int fds_[2];
};

/* Near-miss: a close() method closes the write end; the destructor closes
 * the read end. */
class Feed {
public:
  Feed()
  {
    if (::pipe(fds_) < 0)
      fds_[0] = fds_[1] = -1;
  }
  ~Feed() { ::close(fds_[0]); }
  void close() { ::close(fds_[1]); }

private:
  int fds_[2];
};

} // namespace

/* ---- findings ----------------------------------------------------------- */

ssize_t capture_ref_array()
{
  int fds[2];
  if (!make_pipe_ref(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_ref_array' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_ref_array_depth3()
{
  int fds[2];
  if (!make_pipe_ref3(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_ref_array_depth3' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_ref_ints()
{
  int rd, wr;
  if (open_pair_ref(rd, wr) < 0)
    return -1;
  if (fork() == 0) {
    (void)::write(wr, "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(rd);
  ::close(rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'wr' of the pipe is still open when 'capture_ref_ints' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
}

ssize_t capture_ref_struct()
{
  Pipe p;
  if (!pipe_open(p))
    return -1;
  if (fork() == 0) {
    (void)::write(p.fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(p.fds[0]);
  ::close(p.fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.fds[1]' of the pipe is still open when 'capture_ref_struct' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_member()
{
  Chan c;
  if (!c.open())
    return -1;
  if (fork() == 0) {
    (void)::write(c.fds_[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(c.fds_[0]);
  ::close(c.fds_[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'c.fds_[1]' of the pipe is still open when 'capture_member' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_member_pointer()
{
  Chan c;
  Chan *cp = &c;
  if (!cp->open())
    return -1;
  if (fork() == 0) {
    (void)::write(c.fds_[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(c.fds_[0]);
  ::close(c.fds_[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'c.fds_[1]' of the pipe is still open when 'capture_member_pointer' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_member_this()
{
  Chan c;
  if (!c.reopen())
    return -1;
  if (fork() == 0) {
    (void)::write(c.fds_[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(c.fds_[0]);
  ::close(c.fds_[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'c.fds_[1]' of the pipe is still open when 'capture_member_this' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

ssize_t capture_lambda_param()
{
  auto mk = [](int (&f)[2]) { return ::pipe(f) == 0; };
  int fds[2];
  if (!mk(fds))
    return -1;
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_lambda_param' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: pipe created here
}

/* The cleanup lambda runs on the error path only. */
ssize_t capture_lambda_one_path(bool fail)
{
  int fds[2];
  if (::pipe(fds) < 0)
    return -1;
  auto cleanup = [&] {
    ::close(fds[0]);
    ::close(fds[1]);
  };
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fail) {
    cleanup();
    return -1;
  }
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'capture_lambda_one_path' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-18]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
}

ssize_t capture_returned_struct()
{
  Pair p = make_pair_or_fail();
  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)::write(p.wr, "hello\n", 6);
    _exit(0);
  }
  ssize_t total = drain(p.rd);
  ::close(p.rd);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when 'capture_returned_struct' returns here; {{.*}} [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:12: note: pipe created here
}

/* The class model: the write end made in the constructor outlives every
 * Logger. */
int open_descriptors()
{
  int n = 0;
  for (int fd = 0; fd < 256; ++fd)
    n += fcntl(fd, F_GETFD) != -1;
  return n;
}

int class_leak()
{
  int before = open_descriptors();
  for (int i = 0; i < 3; ++i)
    Logger l;
  /* Three write ends outlive their objects. */
  return open_descriptors() == before + 3 ? 0 : 1;
}

/* ---- near-misses -------------------------------------------------------- */

ssize_t ref_closer()
{
  Pipe p;
  if (!pipe_open(p))
    return -1;
  if (fork() == 0) {
    (void)::write(p.fds[1], "hello\n", 6);
    _exit(0);
  }
  ::close(p.fds[1]);
  ssize_t total = drain(p.fds[0]);
  pipe_close(p);
  return total;
}

ssize_t ref_int_closer()
{
  int rd, wr;
  if (open_pair_ref(rd, wr) < 0)
    return -1;
  if (fork() == 0) {
    (void)::write(wr, "hello\n", 6);
    _exit(0);
  }
  close_ref(wr);
  ssize_t total = drain(rd);
  close_ref(rd);
  return total;
}

ssize_t member_closer()
{
  Chan c;
  if (!c.open())
    return -1;
  if (fork() == 0) {
    (void)::write(c.fds_[1], "hello\n", 6);
    _exit(0);
  }
  c.close_writer();
  ssize_t total = drain(c.fds_[0]);
  ::close(c.fds_[0]);
  return total;
}

ssize_t member_closer_pointer()
{
  Chan c;
  Chan *cp = &c;
  if (!cp->open())
    return -1;
  if (fork() == 0) {
    (void)::write(c.fds_[1], "hello\n", 6);
    _exit(0);
  }
  ::close(c.fds_[1]);
  ssize_t total = drain(c.fds_[0]);
  cp->close_all();
  return total;
}

ssize_t lambda_closer(bool fail)
{
  int fds[2];
  if (::pipe(fds) < 0)
    return -1;
  auto close_writer = [&] { ::close(fds[1]); };
  if (fork() == 0) {
    (void)::write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (fail) {
    close_writer();
    ::close(fds[0]);
    return -1;
  }
  close_writer();
  ssize_t total = drain(fds[0]);
  ::close(fds[0]);
  return total;
}

ssize_t returned_struct_closed()
{
  Pair p = make_pair_or_fail();
  if (p.rd < 0)
    return -1;
  if (fork() == 0) {
    (void)::write(p.wr, "hello\n", 6);
    _exit(0);
  }
  ::close(p.wr);
  ssize_t total = drain(p.rd);
  ::close(p.rd);
  return total;
}

/* The member's write end goes to a global that main closes. */
int member_global()
{
  Chan c;
  if (!c.open())
    return -1;
  c.publish();
  ::close(c.fds_[0]);
  return 0;
}

int class_dtor_closes()
{
  int before = open_descriptors();
  for (int i = 0; i < 3; ++i) {
    Sink s;
    s.put("x");
  }
  return open_descriptors() == before ? 0 : 1;
}

int class_close_method()
{
  int before = open_descriptors();
  {
    Feed f;
    f.close();
  }
  return open_descriptors() == before ? 0 : 1;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "ref-array") == 0)
    return capture_ref_array() != 6;
  if (std::strcmp(s, "ref-array-depth3") == 0)
    return capture_ref_array_depth3() != 6;
  if (std::strcmp(s, "ref-ints") == 0)
    return capture_ref_ints() != 6;
  if (std::strcmp(s, "ref-struct") == 0)
    return capture_ref_struct() != 6;
  if (std::strcmp(s, "member") == 0)
    return capture_member() != 6;
  if (std::strcmp(s, "member-pointer") == 0)
    return capture_member_pointer() != 6;
  if (std::strcmp(s, "member-this") == 0)
    return capture_member_this() != 6;
  if (std::strcmp(s, "lambda-param") == 0)
    return capture_lambda_param() != 6;
  if (std::strcmp(s, "lambda-capture-one-path") == 0)
    return capture_lambda_one_path(false) != 6;
  if (std::strcmp(s, "returned-struct") == 0)
    return capture_returned_struct() != 6;
  if (std::strcmp(s, "class-leak") == 0)
    return class_leak();
  if (std::strcmp(s, "ref-closer") == 0)
    return ref_closer() != 6;
  if (std::strcmp(s, "ref-int-closer") == 0)
    return ref_int_closer() != 6;
  if (std::strcmp(s, "member-closer") == 0)
    return member_closer() != 6;
  if (std::strcmp(s, "member-closer-pointer") == 0)
    return member_closer_pointer() != 6;
  if (std::strcmp(s, "lambda-closer") == 0)
    return lambda_closer(false) != 6 || lambda_closer(true) != -1;
  if (std::strcmp(s, "returned-struct-closed") == 0)
    return returned_struct_closed() != 6;
  if (std::strcmp(s, "member-global") == 0) {
    int r = member_global();
    ::close(g_log_fd);
    return r;
  }
  if (std::strcmp(s, "class-dtor-closes") == 0)
    return class_dtor_closes();
  if (std::strcmp(s, "class-close-method") == 0)
    return class_close_method();
  return 2;
}

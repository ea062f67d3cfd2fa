// Findings of pipe-self-deadlock in C++ where the pipe comes from a helper
// behind a reference parameter, a member function or a lambda, and the
// class model: a method that reads a member pipe to end-of-file while the
// object itself holds the write end, which only the destructor closes.
// Each finding's scenario hangs in the read. The near-misses (a class whose
// close_writer() method is called before the read, a class that reads one
// message after writing it, a class whose writer thread, given `this`,
// closes the write end, a reader whose write end a helper closes)
// terminate and stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s ref-probe hang
// RUN: %run_example %s member-probe hang
// RUN: %run_example %s lambda-probe hang
// RUN: %run_example %s class-recv-all hang
// RUN: %run_example %s class-recv-all-pointer hang
// RUN: %run_example %s class-close-writer exit
// RUN: %run_example %s class-send-recv-one exit
// RUN: %run_example %s class-thread-closes exit
// RUN: %run_example %s ref-closer exit

#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

/* ---- helpers ------------------------------------------------------------ */

bool make_pipe_ref(int (&fds)[2]) { return ::pipe(fds) == 0; }

void close_ref(int &fd)
{
  ::close(fd);
  fd = -1;
}

struct Chan {
  bool open() { return ::pipe(fds_) == 0; }
  int fds_[2];
};

/* Owns a pipe from construction to destruction; recv_all() waits for an
 * end-of-file that the object's own write end prevents. */
class Channel {
public:
  Channel()
  {
    if (::pipe(fd_) == -1)
      fd_[0] = fd_[1] = -1;
  }
  ~Channel()
  {
    ::close(fd_[0]);
    ::close(fd_[1]);
  }
  void send(const std::string &s) { (void)!::write(fd_[1], s.data(), s.size()); }
  std::string recv_all()
  {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd_[0], buf, sizeof buf)) > 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: reading 'fd_[0]' until end-of-file never ends: the object still holds the write end 'fd_[1]' in a member that only its destructor closes; close 'fd_[1]' before reading to the end [pipe-self-deadlock]
      // CHECK-MESSAGES: :[[@LINE-16]]:9: note: pipe created here
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

private:
  int fd_[2];
};

/* Near-miss: the write end is closed by a method before the read. */
class Pipeline {
public:
  Pipeline()
  {
    if (::pipe(fd_) == -1)
      fd_[0] = fd_[1] = -1;
  }
  ~Pipeline()
  {
    ::close(fd_[0]);
    if (fd_[1] >= 0)
      ::close(fd_[1]);
  }
  void send(const std::string &s) { (void)!::write(fd_[1], s.data(), s.size()); }
  void close_writer()
  {
    ::close(fd_[1]);
    fd_[1] = -1;
  }
  std::string recv_all()
  {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd_[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

private:
  int fd_[2];
};

/* Near-miss: one message, read once after it was written. */
class Mailbox {
public:
  Mailbox()
  {
    if (::pipe(fd_) == -1)
      fd_[0] = fd_[1] = -1;
  }
  ~Mailbox()
  {
    ::close(fd_[0]);
    ::close(fd_[1]);
  }
  void send(char c) { (void)!::write(fd_[1], &c, 1); }
  char recv_one()
  {
    char c = 0;
    if (::read(fd_[0], &c, 1) != 1)
      return 0;
    return c;
  }

private:
  int fd_[2];
};

/* Near-miss: the writer thread, given `this`, closes the write end when it
 * is done; the model cannot see the class whole and says nothing. */
class Producer {
public:
  Producer()
  {
    if (::pipe(fd_) == -1)
      fd_[0] = fd_[1] = -1;
    writer_ = std::thread(&Producer::produce, this);
  }
  ~Producer()
  {
    writer_.join();
    ::close(fd_[0]);
  }
  std::string recv_all()
  {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd_[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

private:
  void produce()
  {
    (void)!::write(fd_[1], "hello\n", 6);
    ::close(fd_[1]);
  }
  int fd_[2];
  std::thread writer_;
};

} // namespace

/* ---- findings ----------------------------------------------------------- */

int ref_probe()
{
  int fds[2];
  char c = 0;
  if (!make_pipe_ref(fds))
    return -1;
  if (::read(fds[0], &c, 1) != 1)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' and has written nothing to it; {{.*}} [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: pipe created here
    c = 0;
  ::close(fds[0]);
  ::close(fds[1]);
  return c;
}

int member_probe()
{
  Chan ch;
  char c = 0;
  if (!ch.open())
    return -1;
  if (::read(ch.fds_[0], &c, 1) != 1)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'ch.fds_[0]' blocks forever: this thread holds the only write end 'ch.fds_[1]' and has written nothing to it; {{.*}} [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: pipe created here
    c = 0;
  ::close(ch.fds_[0]);
  ::close(ch.fds_[1]);
  return c;
}

int lambda_probe()
{
  auto make = [](int *fds) { return ::pipe(fds); };
  int fds[2];
  char c = 0;
  if (make(fds) < 0)
    return -1;
  if (::read(fds[0], &c, 1) != 1)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]' and has written nothing to it; {{.*}} [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
    c = 0;
  ::close(fds[0]);
  ::close(fds[1]);
  return c;
}

std::string class_recv_all()
{
  Channel ch;
  ch.send("hello\n");
  return ch.recv_all();
}

std::string class_recv_all_pointer()
{
  Channel *ch = new Channel;
  ch->send("hello\n");
  std::string s = ch->recv_all();
  delete ch;
  return s;
}

/* ---- near-misses -------------------------------------------------------- */

std::string class_close_writer()
{
  Pipeline p;
  p.send("hello\n");
  p.close_writer();
  return p.recv_all();
}

char class_send_recv_one()
{
  Mailbox m;
  m.send('x');
  return m.recv_one();
}

std::string class_thread_closes()
{
  Producer p;
  return p.recv_all();
}

int ref_closer()
{
  int fds[2];
  char c = 0;
  if (!make_pipe_ref(fds))
    return -1;
  close_ref(fds[1]);
  if (::read(fds[0], &c, 1) != 0)
    c = 1;
  close_ref(fds[0]);
  return c;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "ref-probe") == 0)
    return ref_probe();
  if (std::strcmp(s, "member-probe") == 0)
    return member_probe();
  if (std::strcmp(s, "lambda-probe") == 0)
    return lambda_probe();
  if (std::strcmp(s, "class-recv-all") == 0)
    return class_recv_all() != "hello\n";
  if (std::strcmp(s, "class-recv-all-pointer") == 0)
    return class_recv_all_pointer() != "hello\n";
  if (std::strcmp(s, "class-close-writer") == 0)
    return class_close_writer() != "hello\n";
  if (std::strcmp(s, "class-send-recv-one") == 0)
    return class_send_recv_one() != 'x';
  if (std::strcmp(s, "class-thread-closes") == 0)
    return class_thread_closes() != "hello\n";
  if (std::strcmp(s, "ref-closer") == 0)
    return ref_closer();
  return 2;
}

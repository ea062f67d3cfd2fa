// C++: a class keeps two pipes in members of a nested struct type; its
// forward() method copies `link_.rd` into `link_.wr`, two members of one
// inner struct that its constructor filled with the two ends of one pipe.
// The copy loop is a free function; it reads back what it writes: hangs.
// The near miss copies link_ into audit_, as meant: it finishes, silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t
// RUN: %run_example %s method hang
// RUN: %run_example %s ok exit

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

static void pump(int from, int to)
{
  char buf[512];
  for (;;) {
    ssize_t n = read(from, buf, sizeof buf);
    if (n == 0)
      break;
    if (n < 0)
      continue; // EAGAIN: more may come
    if (write(to, buf, static_cast<size_t>(n)) != n)
      break;
  }
}

class Tap {
public:
  Tap()
  {
    int a[2], b[2];
    if (pipe2(a, O_NONBLOCK) != 0)
      return;
    if (pipe2(b, O_NONBLOCK) != 0) {
      close(a[0]);
      close(a[1]);
      return;
    }
    link_.rd = a[0];
    link_.wr = a[1];
    audit_.rd = b[0];
    audit_.wr = b[1];
  }
  ~Tap()
  {
    if (link_.rd >= 0) {
      close(link_.rd);
      close(link_.wr);
    }
    if (audit_.rd >= 0) {
      close(audit_.rd);
      close(audit_.wr);
    }
  }
  bool send(const char *msg)
  {
    size_t n = std::strlen(msg);
    return write(link_.wr, msg, n) == static_cast<ssize_t>(n);
  }
  void forward() { pump(link_.rd, link_.wr); }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'pump' copies what it reads from 'link_.rd' into 'link_.wr', the write end of the same pipe: the data goes round and round, and each read finds what the last write put back, so the call never returns while the pipe holds data; pass the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-40]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-31]]:9: note: pipe created here
  void forward_ok()
  {
    int fl = fcntl(link_.rd, F_GETFL);
    fcntl(link_.rd, F_SETFL, fl | O_NONBLOCK);
    char buf[64];
    ssize_t n = read(link_.rd, buf, sizeof buf);
    if (n > 0 && write(audit_.wr, buf, static_cast<size_t>(n)) != n)
      return;
  }

private:
  struct Ends {
    int rd = -1;
    int wr = -1;
  };
  Ends link_;
  Ends audit_;
};

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  Tap t;
  if (!t.send("hello\n"))
    return 2;
  if (std::strcmp(s, "method") == 0)
    t.forward();
  else
    t.forward_ok();
  return 0;
}

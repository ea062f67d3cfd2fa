// pipe-leaked-writer: one warning for one defect that several exits share.
// A Feed keeps its writer in a std::jthread member; first_record() reads
// a record and returns at one of two places while the read end is still
// open and unread. At each, destroying the Feed joins the writer, which is
// blocked in a write on the full pipe (its stop token is only seen between
// writes): it hangs. One warning, at the first return, with a note at the
// other.
//
// The near miss closes the read end before the Feed is destroyed, and
// finishes.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s short-record hang -- -std=c++20
// RUN: %run_example %s closes-first exit -- -std=c++20

#include <csignal>
#include <string>
#include <thread>
#include <unistd.h>

class Feed {
public:
  bool open() {
    int p[2];
    if (::pipe(p) < 0)
      return false;
    rd_ = p[0];
    wr_ = p[1];
    t_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested())
        if (::write(wr_, "0123456789abcdef0123456789abcdef", 32) < 0)
          break;
    });
    return true;
  }
  int rd() const { return rd_; }
  void close_read() {
    ::close(rd_);
    rd_ = -1;
  }

private:
  int rd_ = -1, wr_ = -1;
  std::jthread t_;
};

static int first_record(bool want_long) {
  Feed f;
  if (!f.open())
    return -1;
  char b[64];
  if (::read(f.rd(), b, 16) != 16)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: std::jthread 'f.t_' joins its thread when it is destroyed here, but the writer may be blocked on the full pipe whose read end 'f.rd_' is still open and unread: this hangs; close 'f.rd_' before std::jthread 'f.t_' is destroyed, so that the writer fails with EPIPE [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-6]]:8: note: std::jthread 'f.t_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-25]]:13: note: its function takes a std::stop_token, but it can block in this write on the full pipe, where it does not see a stop request; make the write end non-blocking or wait for room with a timeout, and test the token in between
    // CHECK-MESSAGES: :[[@LINE-8]]:8: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+4]]:5: note: std::jthread 'f.t_' is destroyed here too, on another path, with the read end still open
    // CHECK-MESSAGES: :[[@LINE+4]]:3: note: std::jthread 'f.t_' is destroyed here too, on another path, with the read end still open
  ::usleep(200000); // handles the record; the writer fills the pipe
  if (want_long)
    return 1;
  return 0;
}

static int first_record_closing(bool want_long) {
  Feed f;
  if (!f.open())
    return -1;
  char b[64];
  ssize_t n = ::read(f.rd(), b, 16);
  f.close_read();
  if (n != 16)
    return -1;
  return want_long ? 1 : 0;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "short-record")
    return first_record(false);
  if (s == "closes-first")
    return first_record_closing(false);
  return 2;
}

// pipe-self-deadlock with the ends three levels below `this` or a local:
// a class that keeps a struct of descriptor wrappers (`pipe_.wr`, whose
// UniqueFd holds `fd_`: `this->pipe_.wr.fd_`), writes in one method and
// reads back in another; and a std::array of plain pipe structs kept in a
// member (`this->links_[1].wr`), filled by a helper given a reference. The engine follows a place up to four
// selectors below its variable; before, it stopped at two and handed the
// deeper ends off.
//
// Each finding reads the pipe to end-of-file while this thread still holds
// the write end; each hangs. The near misses close it first and finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=c++17 -I%S
// RUN: %run_example %s transcript hang
// RUN: %run_example %s links hang
// RUN: %run_example %s transcript-finished exit
// RUN: %run_example %s links-closed exit

#include "../Inputs/unique-fd.h"
#include <array>
#include <string>
#include <string.h>

struct Pipe {
  UniqueFd rd, wr;
};

static bool make_pipe(Pipe &p) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  p.rd.reset(fds[0]);
  p.wr.reset(fds[1]);
  return true;
}

static std::string slurp(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, size_t(n));
  return out;
}

// A transcript kept in a pipe: lines go in with add(), and read_back()
// returns them all.
class Transcript {
public:
  bool open() { return make_pipe(pipe_); }
  void add(const char *line) { write(pipe_.wr.get(), line, strlen(line)); }
  void finish() { pipe_.wr.reset(); }
  std::string read_back() { return slurp(pipe_.rd.get()); }

private:
  Pipe pipe_;
};

static size_t transcript(bool finish_first) {
  Transcript t;
  if (!t.open())
    return 0;
  t.add("started\n");
  if (finish_first)
    t.finish();
  return t.read_back().size();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 't.pipe_.rd' until end-of-file never ends: this process still holds the write end 't.pipe_.wr'; call 't.finish()', which closes it, before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:8: note: pipe created here
}

struct Link {
  int rd = -1, wr = -1;
};

static bool open_link(Link &l) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  l.rd = fds[0];
  l.wr = fds[1];
  return true;
}

// Two links kept in a std::array member; link 1 echoes a message back
// (link 0 is opened elsewhere).
class Links {
public:
  bool open() { return open_link(links_[1]); }
  void send(const char *msg) { write(links_[1].wr, msg, strlen(msg)); }
  void hang_up() {
    close(links_[1].wr);
    links_[1].wr = -1;
  }
  size_t receive() { return slurp(links_[1].rd).size(); }
  ~Links() {
    for (Link &l : links_) {
      if (l.rd >= 0)
        close(l.rd);
      if (l.wr >= 0)
        close(l.wr);
    }
  }

private:
  std::array<Link, 2> links_;
};

static size_t links(bool hang_up_first) {
  Links l;
  if (!l.open())
    return 0;
  l.send("hi");
  if (hang_up_first)
    l.hang_up();
  return l.receive();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'l.links_[1].rd' until end-of-file never ends: this process still holds the write end 'l.links_[1].wr'; close 'l.links_[1].wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:8: note: pipe created here
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string s = argv[1];
  if (s == "transcript")
    return transcript(false) == 8 ? 0 : 1;
  if (s == "transcript-finished")
    return transcript(true) == 8 ? 0 : 1;
  if (s == "links")
    return links(false) == 2 ? 0 : 1;
  if (s == "links-closed")
    return links(true) == 2 ? 0 : 1;
  return 2;
}

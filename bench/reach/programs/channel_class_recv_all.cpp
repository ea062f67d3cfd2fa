// reach: class Channel owns a pipe (constructor) and offers send() and
// recv_all(); a caller sends a message and reads everything back with
// recv_all(), which waits for an end-of-file that the Channel's own write
// end, still open, prevents.
// CROSSES: class member (ends in members, read loop in a method)
// EXPECT: pipe-self-deadlock recv_all|echo_once echo hang
#include <string>
#include <system_error>
#include <unistd.h>
#include <cerrno>
#include <cstdio>

class Channel {
public:
  Channel() {
    if (pipe(fd_) == -1)
      throw std::system_error(errno, std::generic_category(), "pipe");
  }
  ~Channel() {
    close(fd_[0]);
    close(fd_[1]);
  }
  void send(const std::string &s) { (void)!write(fd_[1], s.data(), s.size()); }
  std::string recv_all() {
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(fd_[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

private:
  int fd_[2];
};

static std::string echo_once(const std::string &msg) {
  Channel ch;
  ch.send(msg);
  return ch.recv_all();
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "echo") {
    std::printf("%s", echo_once("hello\n").c_str());
    return 0;
  }
  return 2;
}

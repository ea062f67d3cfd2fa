// reach (near-miss): class Channel with a close_writer() method that the
// caller uses after sending, so recv_all() sees end-of-file.
// EXPECT-NONE: pipe-self-deadlock
// PROOF: echo exit
#include <string>
#include <unistd.h>

class Channel {
public:
  Channel() { (void)!pipe(fd_); }
  ~Channel() {
    close(fd_[0]);
    close_writer();
  }
  void send(const std::string &s) { (void)!write(fd_[1], s.data(), s.size()); }
  void close_writer() {
    if (fd_[1] >= 0)
      close(fd_[1]);
    fd_[1] = -1;
  }
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

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "echo")
    return 2;
  Channel ch;
  ch.send("hello\n");
  ch.close_writer();
  return ch.recv_all() == "hello\n" ? 0 : 1;
}

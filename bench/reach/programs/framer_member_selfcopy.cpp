// reach: class Framer queues frames in a non-blocking pipe (queue_) and
// forwards what is queued to a sink pipe (sink_) through its member
// function copy(from, to), which stops when the queue is empty (EAGAIN).
// flush() passes the queue's own write end as the destination (meant
// sink_[1]): the frames go round and round the queue, it never empties,
// and flush() never returns.
// CROSSES: class member (both pipes in members); function boundary (copy loop in a member function called with the ends)
// EXPECT: pipe-self-copy flush|copy flush hang
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

class Framer {
public:
  Framer() {
    if (::pipe2(queue_, O_NONBLOCK | O_CLOEXEC) != 0)
      throw std::runtime_error("pipe");
    if (::pipe2(sink_, O_CLOEXEC) != 0) {
      ::close(queue_[0]);
      ::close(queue_[1]);
      throw std::runtime_error("pipe");
    }
  }
  ~Framer() {
    for (int fd : {queue_[0], queue_[1], sink_[0], sink_[1]})
      ::close(fd);
  }
  Framer(const Framer &) = delete;
  Framer &operator=(const Framer &) = delete;

  bool push(const std::string &payload) {
    char hdr[16];
    int len = std::snprintf(hdr, sizeof hdr, "%08zx:", payload.size());
    return ::write(queue_[1], hdr, static_cast<size_t>(len)) == len &&
           ::write(queue_[1], payload.data(), payload.size()) ==
               static_cast<ssize_t>(payload.size());
  }

  // Moves everything queued so far to the sink.
  long flush() { return copy(queue_[0], queue_[1]); }

  int sink_fd() const { return sink_[0]; }

private:
  long copy(int from, int to) {
    char buf[2048];
    long total = 0;
    for (;;) {
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return total;            // queue empty
      if (n <= 0)
        return n < 0 ? -1 : total;
      if (::write(to, buf, static_cast<size_t>(n)) != n)
        return -1;
      total += n;
    }
  }

  int queue_[2];
  int sink_[2];
};

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "flush")
    return 2;
  Framer f;
  if (!f.push("hello") || !f.push("world"))
    return 1;
  long moved = f.flush();
  char buf[64];
  ssize_t n = ::read(f.sink_fd(), buf, sizeof buf);
  return moved == 28 && n == 28 ? 0 : 1;
}

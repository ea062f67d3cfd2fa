// Journal relay: an agent reads the service journal from one pipe (filled by
// a collector thread), tags each chunk for the downstream parser and relays
// it into a second pipe that a shipper thread drains. Relay owns both pipes;
// the collector gets the input's write end, the shipper reads the output.
// CORRECT (near-miss): Relay::pump() copies in_.rd into output(), and
// output() is the write end of the *other* pipe, out_, so nothing is copied
// into the pipe it comes from. pump() reads its input to end-of-file, and
// that ends: take_input_writer() handed the only write end of in_ to the
// collector thread, which closes it when it is done, so the Relay does not
// hold it. close_output() closes out_.wr after the pump, so the shipper
// sees end-of-file too, and the jthreads join.
// EXPECT-NONE: pipe-self-copy
// EXPECT-NONE: pipe-self-deadlock
// PROOF: relay exit
// STD: c++20
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

namespace {

struct Pipe {
  int rd = -1;
  int wr = -1;
};

Pipe open_pipe() {
  int fds[2];
  if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return Pipe{fds[0], fds[1]};
}

bool write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

class Relay {
 public:
  Relay() : in_(open_pipe()), out_(open_pipe()) {}
  Relay(const Relay &) = delete;
  Relay &operator=(const Relay &) = delete;
  ~Relay() {
    for (int fd : {in_.rd, in_.wr, out_.rd, out_.wr})
      if (fd >= 0) close(fd);
  }

  // The caller owns the returned descriptor and must close it.
  int take_input_writer() {
    int fd = in_.wr;
    in_.wr = -1;
    return fd;
  }

  int output() const { return out_.wr; }
  int output_reader() const { return out_.rd; }

  // Relays the input to the output, framing each chunk; returns payload bytes.
  size_t pump() {
    char buf[8192];
    size_t total = 0;
    ssize_t n;
    while ((n = read(in_.rd, buf, sizeof buf)) > 0) {
      char hdr[32];
      int h = std::snprintf(hdr, sizeof hdr, "@chunk %zd\n", n);
      if (!write_all(output(), hdr, static_cast<size_t>(h)) ||
          !write_all(output(), buf, static_cast<size_t>(n)))
        throw std::runtime_error("relay output closed");
      total += static_cast<size_t>(n);
    }
    return total;
  }

  void close_output() {
    if (out_.wr >= 0) close(out_.wr);
    out_.wr = -1;
  }

 private:
  Pipe in_;
  Pipe out_;
};

struct ShipStats {
  size_t bytes = 0;
  size_t chunks = 0;
};

ShipStats ship(int fd) {
  ShipStats st;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    st.bytes += static_cast<size_t>(n);
    for (ssize_t i = 0; i < n; ++i) st.chunks += buf[i] == '@';
  }
  return st;
}

bool relay_journal(int lines) {
  Relay relay;
  size_t produced = 0;
  std::jthread collector([fd = relay.take_input_writer(), lines, &produced] {
    for (int i = 0; i < lines; ++i) {
      std::string line = "Jun 02 10:" + std::to_string(10 + i % 50) + " api[412]: request " +
                         std::to_string(i) + " handled in 3ms\n";
      if (!write_all(fd, line.data(), line.size())) break;
      produced += line.size();
    }
    close(fd);
  });
  ShipStats shipped;
  std::jthread shipper([&relay, &shipped] { shipped = ship(relay.output_reader()); });
  size_t moved = relay.pump();
  relay.close_output();
  collector.join();
  shipper.join();
  std::printf("relayed %zu bytes in %zu chunks, shipped %zu bytes\n", moved, shipped.chunks,
              shipped.bytes);
  return moved == produced && shipped.bytes > moved;
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "relay";
  if (scenario == "relay") return relay_journal(20000) ? 0 : 1;
  std::fprintf(stderr, "usage: %s relay\n", argv[0]);
  return 2;
}

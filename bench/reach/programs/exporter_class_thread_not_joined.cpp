// reach: class Exporter: the constructor creates the pipe and starts a
// writer thread held in a member; read_header() throws on a bad header,
// and the destructor closes the read end but never joins the thread, so
// the joinable std::thread member is destroyed: std::terminate.
// CROSSES: class member (thread and ends in members across ctor/method/dtor); exception edge
// EXPECT: pipe-leaked-writer Exporter|~Exporter|load bad-header abort
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

class Exporter {
public:
  explicit Exporter(size_t volume) {
    if (pipe(fds_) != 0)
      throw std::runtime_error("pipe");
    writer_ = std::thread([this, volume] {
      std::string chunk(8192, 'z');
      for (size_t done = 0; done < volume; done += chunk.size())
        if (write(fds_[1], chunk.data(), chunk.size()) < 0)
          break;
      close(fds_[1]);
    });
  }
  ~Exporter() { close(fds_[0]); }

  std::string read_header() {
    char hdr[6];
    if (read(fds_[0], hdr, sizeof hdr) != sizeof hdr || std::memcmp(hdr, "EXPv2\n", 6) != 0)
      throw std::runtime_error("unexpected export format");
    return std::string(hdr, sizeof hdr);
  }

private:
  int fds_[2];
  std::thread writer_;
};

static int load() {
  try {
    Exporter ex(1 << 20);
    ex.read_header();
  } catch (const std::exception &) {
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && std::string(argv[1]) == "bad-header")
    return load() == -1 ? 0 : 1;
  return 2;
}

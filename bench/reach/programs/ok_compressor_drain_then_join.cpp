// reach (near-miss): class Compressor owns a pipe (two int members) and a
// worker std::thread started in start(). The worker writes far more than a
// pipe holds and closes the write end when done; the caller drains the
// pipe to end-of-file with drain() first and joins with finish() after,
// and the destructor joins only a worker that is still joinable.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-leaked-writer
// PROOF: large exit
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

class Compressor {
public:
  Compressor() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::runtime_error("pipe");
    rd_ = fds[0];
    wr_ = fds[1];
  }
  ~Compressor() {
    if (worker_.joinable())
      worker_.join();
    ::close(rd_);
  }
  Compressor(const Compressor &) = delete;
  Compressor &operator=(const Compressor &) = delete;

  void start(std::string input) {
    worker_ = std::thread([this, in = std::move(input)] { run_length_encode(in); });
  }

  std::string drain() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(rd_, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }

  void finish() { worker_.join(); }

private:
  void run_length_encode(const std::string &in) {
    for (size_t i = 0; i < in.size();) {
      size_t j = i;
      while (j < in.size() && in[j] == in[i] && j - i < 255)
        ++j;
      unsigned char rec[2] = {static_cast<unsigned char>(j - i),
                              static_cast<unsigned char>(in[i])};
      if (::write(wr_, rec, sizeof rec) != 2)
        break;
      i = j;
    }
    ::close(wr_);
  }

  int rd_ = -1;
  int wr_ = -1;
  std::thread worker_;
};

static size_t compressed_size(const std::string &input) {
  Compressor c;
  c.start(input);
  std::string out = c.drain();
  c.finish();
  return out.size();
}

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "large")
    return 2;
  std::string input;
  for (int i = 0; i < 200000; ++i)
    input += static_cast<char>('a' + i % 26);   // no runs: 2 bytes per byte
  return compressed_size(input) == 2 * input.size() ? 0 : 1;
}

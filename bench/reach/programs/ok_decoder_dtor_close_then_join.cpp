// reach (near-miss): class Decoder closes its read end in the destructor
// before joining the writer thread, which then fails with EPIPE and ends.
// EXPECT-NONE: pipe-leaked-writer
// PROOF: first-line exit
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

class Decoder {
public:
  Decoder() {
    if (::pipe(p_) < 0)
      std::perror("pipe");
    worker_ = std::thread(&Decoder::produce, this);
  }
  ~Decoder() {
    ::close(p_[0]);
    worker_.join();
  }
  std::string decode_line() {
    std::string line;
    char c;
    while (::read(p_[0], &c, 1) == 1 && c != '\n')
      line.push_back(c);
    return line;
  }

private:
  void produce() {
    std::string rec = "record 0123456789abcdef\n";
    for (int i = 0; i < 100000; ++i)
      if (::write(p_[1], rec.data(), rec.size()) < 0)
        break;
    ::close(p_[1]);
  }
  int p_[2];
  std::thread worker_;
};

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && std::string(argv[1]) == "first-line") {
    Decoder d;
    return d.decode_line().empty() ? 1 : 0;
  }
  return 2;
}

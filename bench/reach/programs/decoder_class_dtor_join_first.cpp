// reach: class Decoder starts its writer thread in the constructor; the
// destructor joins the writer before it closes the read end. decode() reads
// only the first line, so the writer is still blocked on the full pipe and
// the destructor's join never returns.
// CROSSES: class member (ctor starts, dtor joins then closes)
// EXPECT: pipe-leaked-writer ~Decoder|first_line first-line hang
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
    worker_.join();
    ::close(p_[0]);
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

static std::string first_line() {
  Decoder d;
  return d.decode_line();
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && std::string(argv[1]) == "first-line") {
    std::printf("%s\n", first_line().c_str());
    return 0;
  }
  return 2;
}

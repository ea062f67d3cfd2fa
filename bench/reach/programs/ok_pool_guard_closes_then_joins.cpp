// reach (near-miss): load_table() starts a pool of row writers
// (std::vector<std::thread>, lambdas capturing the write end by
// reference) and then checks the table header, which throws when it is
// wrong. A PoolGuard declared after the pool closes the read end, joins
// every writer and only then closes the write end, on every way out: the
// writers fail with EPIPE and end, and no joinable thread is destroyed.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: bad-header exit
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

class PoolGuard {
public:
  PoolGuard(std::vector<std::thread> &pool, int &read_end, int &write_end)
      : pool_(pool), rd_(read_end), wr_(write_end) {}
  ~PoolGuard() {
    if (rd_ >= 0)
      ::close(rd_);
    rd_ = -1;
    for (auto &t : pool_)
      if (t.joinable())
        t.join();
    if (wr_ >= 0)
      ::close(wr_);
    wr_ = -1;
  }

private:
  std::vector<std::thread> &pool_;
  int &rd_;
  int &wr_;
};

void expect_header(int fd, const char *want) {
  char got[8] = {};
  size_t len = std::strlen(want), have = 0;
  while (have < len) {
    ssize_t n = ::read(fd, got + have, len - have);
    if (n <= 0)
      throw std::runtime_error("short header");
    have += static_cast<size_t>(n);
  }
  if (std::memcmp(got, want, len) != 0)
    throw std::runtime_error("unexpected table header");
}

size_t load_table(const char *header, int writers) {
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::runtime_error("pipe");
  int rd = fds[0], wr = fds[1];
  (void)!::write(wr, header, std::strlen(header));

  std::vector<std::thread> pool;
  PoolGuard guard(pool, rd, wr);
  for (int w = 0; w < writers; ++w)
    pool.emplace_back([&wr, w] {
      std::string row = "row from writer " + std::to_string(w) + "\n";
      for (int i = 0; i < 20000; ++i)
        if (::write(wr, row.data(), row.size()) < 0)
          return;
    });
  expect_header(rd, "TBL1");
  size_t rows = 0;
  char buf[8192];
  ssize_t n;
  size_t want = static_cast<size_t>(writers) * 20000;
  while (rows < want && (n = ::read(rd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      rows += buf[i] == '\n';
  return rows;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2 || std::string(argv[1]) != "bad-header")
    return 2;
  try {
    load_table("TBL0", 4);
  } catch (const std::runtime_error &) {
    return 0;   // rejected, and every writer was joined
  }
  return 1;
}

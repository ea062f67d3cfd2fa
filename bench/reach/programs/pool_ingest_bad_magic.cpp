// reach: ingest_batch() starts a pool of shard writers (a
// std::vector<std::thread>; each lambda captures the write end by value)
// and then parses the stream. parse_header(), a helper, throws on a bad
// magic number; the exception leaves ingest_batch() while the writers are
// still joinable (blocked on the full pipe), and the vector's destructor
// calls std::terminate.
// CROSSES: container of threads (std::vector<std::thread> joined only on the normal path); exception thrown in a helper
// EXPECT: pipe-leaked-writer ingest_batch bad-magic abort
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>
#include <unistd.h>

namespace {

constexpr uint32_t kMagic = 0x53484431;   // "SHD1"
constexpr size_t kShardBytes = 256 * 1024;

struct PipeFds {
  int rd = -1, wr = -1;
  PipeFds() {
    int fds[2];
    if (::pipe(fds) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe");
    rd = fds[0];
    wr = fds[1];
  }
  ~PipeFds() {
    if (rd >= 0) ::close(rd);
    if (wr >= 0) ::close(wr);
  }
  PipeFds(const PipeFds &) = delete;
  PipeFds &operator=(const PipeFds &) = delete;
};

struct BatchHeader {
  uint32_t magic;
  uint32_t shards;
};

void read_exact(int fd, void *dst, size_t len) {
  auto *p = static_cast<char *>(dst);
  while (len > 0) {
    ssize_t n = ::read(fd, p, len);
    if (n <= 0)
      throw std::runtime_error("truncated batch");
    p += n;
    len -= static_cast<size_t>(n);
  }
}

BatchHeader parse_header(int fd) {
  BatchHeader h{};
  read_exact(fd, &h, sizeof h);
  if (h.magic != kMagic)
    throw std::runtime_error("bad batch magic");
  return h;
}

void write_shard(int fd, unsigned shard) {
  std::vector<char> block(4096, static_cast<char>('a' + shard));
  for (size_t done = 0; done < kShardBytes; done += block.size())
    if (::write(fd, block.data(), block.size()) < 0)
      return;
}

size_t ingest_batch(uint32_t magic, unsigned nshards) {
  PipeFds pipe;
  BatchHeader hdr{magic, nshards};
  if (::write(pipe.wr, &hdr, sizeof hdr) != sizeof hdr)
    return 0;

  std::vector<std::thread> writers;
  for (unsigned i = 0; i < nshards; ++i)
    writers.emplace_back([fd = pipe.wr, i] { write_shard(fd, i); });

  BatchHeader got = parse_header(pipe.rd);
  size_t want = static_cast<size_t>(got.shards) * kShardBytes, total = 0;
  std::vector<char> buf(16384);
  while (total < want) {
    ssize_t n = ::read(pipe.rd, buf.data(), buf.size());
    if (n <= 0)
      break;
    total += static_cast<size_t>(n);
  }
  for (auto &t : writers)
    t.join();
  return total;
}

} // namespace

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "";
  try {
    if (scenario == "good")
      return ingest_batch(kMagic, 3) == 3 * kShardBytes ? 0 : 1;
    if (scenario == "bad-magic") {
      ingest_batch(0xdeadbeef, 3);
      return 1;
    }
  } catch (const std::exception &e) {
    std::fprintf(stderr, "ingest: %s\n", e.what());
    return 0;
  }
  return 2;
}

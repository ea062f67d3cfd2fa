// A streaming digest: DigestPipeline serializes a list of log entries on a
// background std::thread that writes them into a pipe, while the calling
// thread reads the other end to end-of-file and folds the bytes into an
// FNV-1a hash. The by-reference writer lambda closes the write end when it
// is done (or fails), and a failed read closes the read end before joining
// so a writer still blocked in write() gets EPIPE instead of hanging.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-leaked-writer
// PROOF: digest exit
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

static bool writeAll(int fd, const std::string &s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t w = write(fd, s.data() + off, s.size() - off);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    off += static_cast<size_t>(w);
  }
  return true;
}

class DigestPipeline {
public:
  explicit DigestPipeline(std::vector<std::string> entries)
      : entries_(std::move(entries)) {}

  bool run(uint64_t &digest, size_t &bytes) {
    int fds[2];
    if (pipe(fds) < 0) {
      perror("pipe");
      return false;
    }
    bool writeOk = true;
    std::thread writer([&] {
      for (size_t i = 0; i < entries_.size() && writeOk; ++i)
        writeOk = writeAll(fds[1], std::to_string(i) + ":" + entries_[i] + "\n");
      close(fds[1]);
    });

    digest = 1469598103934665603ull;
    bytes = 0;
    bool readOk = true;
    char buf[4096];
    for (;;) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n == 0)
        break;
      if (n < 0) {
        if (errno == EINTR)
          continue;
        readOk = false;
        break;
      }
      for (ssize_t i = 0; i < n; ++i) {
        digest ^= static_cast<unsigned char>(buf[i]);
        digest *= 1099511628211ull;
      }
      bytes += static_cast<size_t>(n);
    }
    close(fds[0]);
    writer.join();
    return readOk && writeOk;
  }

private:
  std::vector<std::string> entries_;
};

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "digest") != 0) {
    fprintf(stderr, "usage: %s digest\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> entries;
  for (int i = 0; i < 5000; ++i)
    entries.push_back("GET /api/items/" + std::to_string(i * 13) +
                      " 200 " + std::to_string(i % 977) + "ms");
  DigestPipeline pipeline(std::move(entries));
  uint64_t digest = 0;
  size_t bytes = 0;
  if (!pipeline.run(digest, bytes)) {
    fprintf(stderr, "digest failed\n");
    return 1;
  }
  printf("%zu bytes, fnv1a=%016llx\n", bytes,
         static_cast<unsigned long long>(digest));
  return 0;
}

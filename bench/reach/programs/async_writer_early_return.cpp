// reach: spawn_writer() returns the future of an async task that writes a
// megabyte into the pipe; the reader checks the magic, returns early on a
// mismatch, and the future's destructor waits for a task blocked on the
// full pipe (the read end is closed only later by its guard).
// CROSSES: return value (future returned from a helper); RAII guard
// EXPECT: pipe-leaked-writer parse|spawn_writer bad-magic hang
#include <csignal>
#include <cstring>
#include <future>
#include <string>
#include <unistd.h>

struct FdGuard {
  int fd;
  ~FdGuard() { if (fd >= 0) close(fd); }
};

static std::future<size_t> spawn_writer(int wfd) {
  return std::async(std::launch::async, [wfd] {
    std::string block(16384, 'q');
    size_t total = 0;
    for (int i = 0; i < 64; ++i) {
      ssize_t n = write(wfd, block.data(), block.size());
      if (n < 0)
        break;
      total += static_cast<size_t>(n);
    }
    close(wfd);
    return total;
  });
}

static int parse() {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  FdGuard reader{p[0]};
  auto written = spawn_writer(p[1]);
  char magic[4];
  if (read(p[0], magic, 4) != 4 || std::memcmp(magic, "\x7f" "ELF", 4) != 0)
    return -1;
  return static_cast<int>(written.get() > 0);
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && std::string(argv[1]) == "bad-magic")
    return parse() == -1 ? 0 : 1;
  return 2;
}

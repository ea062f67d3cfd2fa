// header_check.cpp - check the magic number of a file a worker thread streams
// through a pipe, and read the rest only when it is the right kind of file.
//
// Bug: when the magic number is wrong, the reader joins the worker before it
// closes the read end. The worker is still writing the rest of the file (far
// more than the 64 KiB a pipe holds), nobody reads the pipe any more, so the
// worker blocks in write() and join() never returns.
//
// pipe-leaked-writer reports the join. Closing the read end first makes the
// worker's next write fail with EPIPE; it stops, and the join returns.

#include <csignal>
#include <cstring>
#include <thread>
#include <vector>

#include <unistd.h>

static void stream_file(int fd, const std::vector<char> &data) {
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0)
      break;
    off += static_cast<std::size_t>(n);
  }
  close(fd);
}

long read_if_elf(const std::vector<char> &data) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::thread worker(stream_file, fds[1], std::cref(data));
  char magic[4];
  if (read(fds[0], magic, sizeof magic) != sizeof magic ||
      std::memcmp(magic, "\177ELF", 4) != 0) {
    worker.join(); // hangs: close(fds[0]) must come first
    close(fds[0]);
    return -1;
  }
  long total = 4;
  char buf[8192];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  worker.join();
  return total;
}

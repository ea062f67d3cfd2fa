// C++ readers that give up early on a pipe a writer task still holds, and
// get away with it: the read end is closed before the join on every early
// path (by hand, by a guard object, or by destruction order); the writer's
// whole output fits in the pipe; a stop_token-aware writer is stopped
// before the join; the joined task never touches the pipe; the task is
// handed off to a member container or returned to the caller. The writers
// that matter write 1 MiB or more, far more than a pipe holds (64 KiB).
// pipe-leaked-writer must not report anything here. Every scenario takes
// the early path and exits 0.
//
// std::jthread and std::stop_token need C++20.
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -std=c++20
// RUN: %run_example %s close-then-join exit -- -std=c++20
// RUN: %run_example %s guard-close-then-join exit -- -std=c++20
// RUN: %run_example %s small-writer-join exit -- -std=c++20
// RUN: %run_example %s small-writer-jthread exit -- -std=c++20
// RUN: %run_example %s stop-token-poll exit -- -std=c++20
// RUN: %run_example %s stop-token-nonblocking exit -- -std=c++20
// RUN: %run_example %s jthread-close-first exit -- -std=c++20
// RUN: %run_example %s async-close-first exit -- -std=c++20
// RUN: %run_example %s never-touches-pipe exit -- -std=c++20
// RUN: %run_example %s handed-off-member exit -- -std=c++20
// RUN: %run_example %s handed-off-returned exit -- -std=c++20

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <unistd.h>

// ---- helpers ---------------------------------------------------------------

// Writes all of buf to fd; -1 on an error (EPIPE once the reader is gone).
static int write_all(int fd, const void *buf, std::size_t len) {
  const char *p = static_cast<const char *>(buf);
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0)
      return -1;
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Reads exactly len bytes unless end-of-file or an error comes first.
static ssize_t read_full(int fd, void *buf, std::size_t len) {
  char *p = static_cast<char *>(buf);
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, p + got, len - got);
    if (n <= 0)
      return n < 0 ? -1 : static_cast<ssize_t>(got);
    got += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

// Reads fd to end-of-file; returns the number of bytes.
static long drain(int fd) {
  char buf[8192];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

// Writes 'bytes' bytes of 'fill' to fd, 'first' as the first byte.
static int write_filled(int fd, char first, char fill, std::size_t bytes) {
  char block[4096];
  std::memset(block, fill, sizeof block);
  block[0] = first;
  while (bytes > 0) {
    std::size_t k = bytes < sizeof block ? bytes : sizeof block;
    if (write_all(fd, block, k) < 0)
      return -1;
    block[0] = fill;
    bytes -= k;
  }
  return 0;
}

// Owns a descriptor and closes it when destroyed.
class UniqueFd {
public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() {
    if (fd_ >= 0)
      close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

constexpr std::size_t kMiB = 1024 * 1024;

// ---- the read end closed before the join, by hand --------------------------

// Decodes a preview: reads the 8-byte dimensions a decoder thread writes in
// front of the pixels; an image too large for a preview is refused.
static bool decode_preview(std::uint32_t width, std::uint32_t height) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  std::thread decoder([w = fds[1], width, height] {
    std::uint32_t dims[2] = {width, height};
    if (write_all(w, dims, sizeof dims) == 0)
      write_filled(w, 'p', 'p', kMiB);
    close(w);
  });
  std::uint32_t dims[2];
  if (read_full(fds[0], dims, sizeof dims) != sizeof dims || dims[0] > 1024 || dims[1] > 1024) {
    // The decoder's next write fails with EPIPE; it stops and the join
    // returns.
    close(fds[0]);
    decoder.join();
    return false;
  }
  drain(fds[0]);
  close(fds[0]);
  decoder.join();
  return true;
}

// ---- the read end closed before the join, by a guard -----------------------

// Closes the read end, then joins the writer, on every way out of a scope.
struct ProducerGuard {
  int &read_fd;
  std::thread &producer;
  ~ProducerGuard() {
    if (read_fd >= 0)
      close(read_fd);
    read_fd = -1;
    if (producer.joinable())
      producer.join();
  }
};

// Reads the first record of a journal a producer thread replays; records
// from a newer journal version are not understood.
static long replay_journal(int version) {
  int rfd = -1;
  std::thread producer;
  ProducerGuard guard{rfd, producer};
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  rfd = fds[0];
  producer = std::thread([w = fds[1], version] {
    if (write_all(w, &version, sizeof version) == 0)
      write_filled(w, 'j', 'j', kMiB);
    close(w);
  });
  int got = 0;
  if (read_full(rfd, &got, sizeof got) != sizeof got || got > 3)
    return -1;
  return drain(rfd);
}

// ---- writers whose whole output fits in the pipe ---------------------------

// Reads the 16-byte digest a hashing thread writes and compares it; on a
// mismatch the thread is joined before the read end is closed, which is
// fine: it wrote 16 bytes and has finished.
static bool digest_matches(const std::string &data, unsigned char expected_first) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  std::thread hasher([w = fds[1], &data] {
    unsigned char digest[16] = {};
    for (std::size_t i = 0; i < data.size(); ++i)
      digest[i % 16] = static_cast<unsigned char>(digest[i % 16] * 31 + data[i]);
    write_all(w, digest, sizeof digest);
    close(w);
  });
  unsigned char digest[16];
  if (read_full(fds[0], digest, 1) != 1 || digest[0] != expected_first) {
    hasher.join();
    close(fds[0]);
    return false;
  }
  read_full(fds[0], digest + 1, sizeof digest - 1);
  close(fds[0]);
  hasher.join();
  return true;
}

// Reads the status line (at most 16 bytes) a probe thread writes; the
// jthread is destroyed on the early return before the read end 'in' is
// closed, and joins a thread that has written everything and finished.
static std::optional<std::string> probe_status(const char *status) {
  int fds[2];
  if (pipe(fds) < 0)
    return std::nullopt;
  UniqueFd in(fds[0]);
  char line[16] = {};
  std::strncpy(line, status, sizeof line - 1);
  std::jthread probe([w = fds[1], line] {
    write_all(w, line, sizeof line);
    close(w);
  });
  char got[16];
  if (read_full(in.get(), got, sizeof got) != sizeof got || std::strncmp(got, "OK", 2) != 0)
    return std::nullopt;
  return std::string(got);
}

// ---- stop_token-aware writers, stopped before the join ---------------------

// Streams 'bytes' bytes of samples, but gives up when asked to stop: it
// waits for room in the pipe with poll() and a timeout, and looks at the
// stop token between waits.
static void stream_samples(std::stop_token stop, int out, std::size_t bytes) {
  char block[4096];
  std::memset(block, 's', sizeof block);
  block[0] = 'S';
  std::size_t sent = 0;
  while (sent < bytes && !stop.stop_requested()) {
    pollfd p{out, POLLOUT, 0};
    if (poll(&p, 1, 20) <= 0)
      continue;
    std::size_t k = bytes - sent < sizeof block ? bytes - sent : sizeof block;
    ssize_t n = write(out, block, k);
    if (n < 0)
      break;
    sent += static_cast<std::size_t>(n);
    block[0] = 's';
  }
  close(out);
}

// Reads the sample stream's first byte; a stream that does not start with
// 'S' is refused. The read end is a UniqueFd declared before the jthread,
// so it is still open when the jthread's destructor asks the writer to stop
// and joins it; the writer sees the request within 20 ms.
static long capture_samples(char expected) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  UniqueFd in(fds[0]);
  std::jthread sampler(stream_samples, fds[1], kMiB);
  char first;
  if (read_full(in.get(), &first, 1) != 1 || first != expected)
    return -1;
  return 1 + drain(in.get());
}

// Uploads 'bytes' bytes through a non-blocking write end; when the pipe is
// full it sleeps a little and looks at the stop token again.
static void upload_chunks(std::stop_token stop, int out, std::size_t bytes) {
  fcntl(out, F_SETFL, fcntl(out, F_GETFL) | O_NONBLOCK);
  char block[4096];
  std::memset(block, 'u', sizeof block);
  std::size_t sent = 0;
  while (sent < bytes && !stop.stop_requested()) {
    std::size_t k = bytes - sent < sizeof block ? bytes - sent : sizeof block;
    ssize_t n = write(out, block, k);
    if (n < 0) {
      if (errno == EAGAIN) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  close(out);
}

// Receives the upload until 'limit' bytes have come; then it stops the
// uploader, joins it, and only then closes the read end.
static long receive_upload(std::size_t limit) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread uploader(upload_chunks, fds[1], kMiB);
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    total += n;
    if (static_cast<std::size_t>(total) >= limit) {
      uploader.request_stop();
      uploader.join();
      close(fds[0]);
      return -1;
    }
  }
  close(fds[0]);
  return total;
}

// ---- the read end closed first by destruction order ------------------------

// Like the RAII finding, but the read end is declared after the jthread: on
// the early return it is destroyed, and closed, first; the writer fails with
// EPIPE and the jthread's join returns.
static long load_thumbnail(char expected_format) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  std::jthread renderer([w = fds[1]] {
    write_filled(w, 'J', 't', kMiB);
    close(w);
  });
  UniqueFd in(fds[0]);
  char format;
  if (read_full(in.get(), &format, 1) != 1 || format != expected_format)
    return -1;
  return 1 + drain(in.get());
}

// Returns the first line with 'needle' in a log a producer task renders. On
// the break, the read end is closed before the future is destroyed at the
// end of the function; the producer fails with EPIPE and the wait ends.
static std::string first_warning(const char *needle) {
  int fds[2];
  if (pipe(fds) < 0)
    return {};
  std::future<void> producer = std::async(std::launch::async, [w = fds[1]] {
    for (int i = 0; i < 50000; ++i)
      if (dprintf(w, "%s request %d served\n", i == 10 ? "WARN" : "INFO", i) < 0)
        break;
    close(w);
  });
  std::string found;
  std::string pending;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t pos = pending.find(needle);
    if (pos != std::string::npos) {
      found = pending.substr(pos, pending.find('\n', pos) - pos);
      break;
    }
    std::size_t eol = pending.rfind('\n');
    if (eol != std::string::npos)
      pending.erase(0, eol + 1);
  }
  close(fds[0]);
  return found;
}

// ---- a joined task that never touches the pipe -----------------------------

// Copies a payload streamed by a writer thread while a second thread hashes
// the local copy of the expected data. On a bad header the hasher is joined
// before the read end is closed: it never touches the pipe, so that join
// does not wait for the pipe. The writer is handled right: close, then join.
static bool verify_download(char header_byte) {
  std::string expected(kMiB, 'd');
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  std::thread writer([w = fds[1]] {
    write_filled(w, 'D', 'd', kMiB);
    close(w);
  });
  unsigned long expected_sum = 0;
  std::thread hasher([&expected, &expected_sum] {
    for (unsigned char c : expected)
      expected_sum = expected_sum * 131 + c;
  });
  char first;
  if (read_full(fds[0], &first, 1) != 1 || first != header_byte) {
    hasher.join();
    close(fds[0]);
    writer.join();
    return false;
  }
  drain(fds[0]);
  close(fds[0]);
  hasher.join();
  writer.join();
  return expected_sum != 0;
}

// ---- tasks handed off --------------------------------------------------------

// Owns the stages of a pipeline: their threads and the read ends of their
// output pipes. Its destructor closes every read end, then joins every
// thread.
class Pipeline {
public:
  ~Pipeline() {
    for (int fd : read_fds_)
      close(fd);
    for (std::thread &t : stages_)
      t.join();
  }

  // Starts a stage that emits 1 MiB, and reads its first byte; a stage
  // whose output does not start with 'P' is reported as failed. Either way
  // the thread is now the pipeline's.
  bool add_stage(char first_byte) {
    int fds[2];
    if (pipe(fds) < 0)
      return false;
    std::thread stage([w = fds[1], first_byte] {
      write_filled(w, first_byte, 'x', kMiB);
      close(w);
    });
    stages_.push_back(std::move(stage));
    read_fds_.push_back(fds[0]);
    char c;
    if (read_full(fds[0], &c, 1) != 1 || c != 'P')
      return false;
    return true;
  }

private:
  std::vector<std::thread> stages_;
  std::vector<int> read_fds_;
};

// Starts an exporter thread writing 1 MiB to a new pipe; the caller gets
// the thread and the read end, and must close the read end, then join.
static std::thread start_exporter(int &read_fd, char first_byte) {
  int fds[2];
  if (pipe(fds) < 0) {
    read_fd = -1;
    return {};
  }
  read_fd = fds[0];
  std::thread exporter([w = fds[1], first_byte] {
    write_filled(w, first_byte, 'e', kMiB);
    close(w);
  });
  return exporter;
}

// Reads an export unless its first byte says it is empty ('0').
static long read_export(char first_byte) {
  int rfd;
  std::thread exporter = start_exporter(rfd, first_byte);
  if (rfd < 0)
    return -1;
  char c;
  if (read_full(rfd, &c, 1) != 1 || c == '0') {
    close(rfd);
    exporter.join();
    return 0;
  }
  long n = 1 + drain(rfd);
  close(rfd);
  exporter.join();
  return n;
}

// ---- scenarios -------------------------------------------------------------

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  // A write to a pipe whose read end is closed then fails with EPIPE instead
  // of killing the process, as in any program that pipes between threads.
  std::signal(SIGPIPE, SIG_IGN);

  if (s == "close-then-join")
    return decode_preview(4096, 4096);
  if (s == "guard-close-then-join")
    return replay_journal(7) != -1;
  if (s == "small-writer-join")
    return digest_matches("some data to hash", 0);
  if (s == "small-writer-jthread")
    return probe_status("DEGRADED").has_value();
  if (s == "stop-token-poll")
    return capture_samples('X') != -1;
  if (s == "stop-token-nonblocking")
    return receive_upload(128 * 1024) != -1;
  if (s == "jthread-close-first")
    return load_thumbnail('P') != -1;
  if (s == "async-close-first")
    return first_warning("WARN").empty();
  if (s == "never-touches-pipe")
    return verify_download('Z');
  if (s == "handed-off-member") {
    Pipeline pipeline;
    bool ok = pipeline.add_stage('P') && !pipeline.add_stage('Q');
    return !ok;
  }
  if (s == "handed-off-returned")
    return read_export('0') != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

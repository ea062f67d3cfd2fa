// reach: a metrics spooler compresses its records on a worker thread.
// RleSink::open() gets a pipe from make_pipe() through out-parameters,
// keeps the write end in the member wr_, and starts a std::thread whose
// lambda captures the read end and encodes everything up to end-of-file.
// finish() calls stop_worker() (join) and only then close_input(): the
// worker is still waiting for end-of-file on a pipe whose only write end
// this object holds, so the first finish() hangs for good.
// CROSSES: member function (the join and the close are in two helper methods called by finish()); class member (the write end is a member set in open()); lambda capture (the thread reads the read end it captured)
// EXPECT: pipe-self-deadlock finish|stop_worker flush hang
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>

static bool make_pipe(int& rd, int& wr) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return false;
  rd = p[0];
  wr = p[1];
  return true;
}

static bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

class RleSink {
 public:
  RleSink() = default;
  RleSink(const RleSink&) = delete;
  RleSink& operator=(const RleSink&) = delete;
  ~RleSink() {
    close_input();
    stop_worker();
  }

  bool open() {
    int rd;
    if (!make_pipe(rd, wr_)) return false;
    worker_ = std::thread([this, rd] {
      encode(rd);
      ::close(rd);
    });
    return true;
  }

  bool write(std::string_view chunk) {
    in_bytes_ += chunk.size();
    return write_all(wr_, chunk.data(), chunk.size());
  }

  // Ends the stream and returns the encoded bytes.
  std::string finish() {
    stop_worker();
    close_input();
    return std::move(out_);
  }

  size_t in_bytes() const { return in_bytes_; }

 private:
  void stop_worker() {
    if (worker_.joinable()) worker_.join();
  }
  void close_input() {
    if (wr_ >= 0) ::close(wr_);
    wr_ = -1;
  }
  // Run-length encoding: (count, byte) pairs, count <= 255.
  void encode(int rd) {
    char buf[4096];
    int run = 0;
    char last = 0;
    for (;;) {
      ssize_t n = ::read(rd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (ssize_t i = 0; i < n; i++) {
        if (run > 0 && buf[i] == last && run < 255) {
          run++;
          continue;
        }
        if (run > 0) out_ += {static_cast<char>(run), last};
        last = buf[i];
        run = 1;
      }
    }
    if (run > 0) out_ += {static_cast<char>(run), last};
  }

  int wr_ = -1;
  size_t in_bytes_ = 0;
  std::thread worker_;
  std::string out_;
};

static size_t decoded_size(const std::string& rle) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < rle.size(); i += 2) n += static_cast<unsigned char>(rle[i]);
  return n;
}

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "flush") != 0) return 2;
  RleSink sink;
  if (!sink.open()) {
    std::perror("open");
    return 1;
  }
  char line[160];
  for (int i = 0; i < 2000; i++) {
    char rec[64];
    std::snprintf(rec, sizeof rec, "cpu.load host=web%02d value=%d.%02d", i % 16, i % 4, i % 100);
    // Fixed-width 128-byte records, blank-padded: runs the encoder folds.
    int n = std::snprintf(line, sizeof line, "%-127s\n", rec);
    if (!sink.write(std::string_view(line, static_cast<size_t>(n)))) return 1;
  }
  std::string packed = sink.finish();
  std::printf("%zu bytes -> %zu encoded\n", sink.in_bytes(), packed.size());
  return decoded_size(packed) == sink.in_bytes() ? 0 : 1;
}

// Log sampler: a pthread writer renders a large synthetic log into a pipe and
// LineSampler hands out its lines; "head" mode keeps only the first few lines
// and drops the sampler early.
// CORRECT (near-miss): the early return in head_lines() leaves the writer
// blocked on a full pipe, but ~LineSampler() goes through stop(), which closes
// the read end *before* pthread_join: the blocked write fails with EPIPE
// (SIGPIPE is ignored), the writer exits and the join returns. The full path
// checks the writer's status returned through pthread_join.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: head exit
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

class LineSampler {
 public:
  static std::unique_ptr<LineSampler> start(long lines) {
    std::unique_ptr<LineSampler> s(new LineSampler(lines));
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    s->rfd_ = fds[0];
    s->wfd_ = fds[1];
    if (pthread_create(&s->tid_, nullptr, &LineSampler::writerMain, s.get()) != 0) {
      close(fds[0]);
      close(fds[1]);
      throw std::runtime_error("pthread_create");
    }
    s->running_ = true;
    return s;
  }

  ~LineSampler() {
    if (running_) stop();
  }

  // Next line without its newline; false at end of the log.
  bool next(std::string &line) {
    line.clear();
    for (;;) {
      if (pos_ == len_) {
        ssize_t n = read(rfd_, buf_, sizeof buf_);
        if (n <= 0) return !line.empty();
        pos_ = 0;
        len_ = static_cast<size_t>(n);
      }
      char c = buf_[pos_++];
      if (c == '\n') return true;
      line.push_back(c);
    }
  }

  // Stops reading, then waits for the writer; returns its errno (0 when it
  // wrote everything, EPIPE when we stopped it early).
  int stop() {
    close(rfd_);
    rfd_ = -1;
    void *ret = nullptr;
    pthread_join(tid_, &ret);
    running_ = false;
    return static_cast<int>(reinterpret_cast<intptr_t>(ret));
  }

 private:
  explicit LineSampler(long lines) : lines_(lines) {}

  static void *writerMain(void *arg) {
    auto *self = static_cast<LineSampler *>(arg);
    intptr_t err = 0;
    for (long i = 0; i < self->lines_ && err == 0; ++i) {
      char line[128];
      int n = std::snprintf(line, sizeof line,
                            "2024-05-%02ld 12:%02ld:%02ld worker-%ld handled request %ld\n",
                            1 + i % 28, i % 60, (i * 7) % 60, i % 16, i);
      if (write(self->wfd_, line, static_cast<size_t>(n)) != n) err = errno ? errno : EIO;
    }
    close(self->wfd_);
    return reinterpret_cast<void *>(err);
  }

  long lines_;
  int rfd_ = -1;
  int wfd_ = -1;
  pthread_t tid_{};
  bool running_ = false;
  char buf_[4096];
  size_t pos_ = 0, len_ = 0;
};

std::vector<std::string> head_lines(long total, size_t n) {
  auto sampler = LineSampler::start(total);
  std::vector<std::string> out;
  std::string line;
  while (out.size() < n && sampler->next(line)) out.push_back(line);
  return out;
}

long count_all(long total) {
  auto sampler = LineSampler::start(total);
  std::string line;
  long count = 0;
  while (sampler->next(line)) ++count;
  int err = sampler->stop();
  return err == 0 ? count : -1;
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "normal";
  if (scenario == "normal") {
    long n = count_all(8000);
    std::printf("%ld lines\n", n);
    return n == 8000 ? 0 : 1;
  }
  if (scenario == "head") {
    std::vector<std::string> lines = head_lines(20000, 5);  // ~1 MiB log, keep 5 lines
    for (const std::string &l : lines) std::printf("%s\n", l.c_str());
    return lines.size() == 5 ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s normal|head\n", argv[0]);
  return 2;
}

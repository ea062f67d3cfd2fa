// reach (near-miss): the CI job runner of b4_jobrunner_fd_reset_keeps.cpp
// with a correct wrapper: UniqueFd::reset() closes the descriptor it held
// before it takes the new one, so `wr.reset()` in run_step() really drops
// the parent's copy of the write end (from the pair make_pipe() returns),
// and drain_output() sees end-of-file when the step exits. Both steps run
// to completion with their status and log.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: build exit
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <optional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    std::swap(fd_, o.fd_);  // o closes what we held
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  // Takes ownership of fd (default: none).
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0 && fd_ != fd) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct PipePair {
  UniqueFd rd;
  UniqueFd wr;
};

static std::optional<PipePair> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return std::nullopt;
  return PipePair{UniqueFd(p[0]), UniqueFd(p[1])};
}

struct Step {
  std::string name;
  std::function<int()> body;
};

struct StepResult {
  int status = -1;
  std::string log;
};

static std::string drain_output(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

static std::optional<StepResult> run_step(const Step& step) {
  auto p = make_pipe();
  if (!p) return std::nullopt;
  pid_t pid = ::fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    ::dup2(p->wr.get(), 1);
    ::dup2(p->wr.get(), 2);
    int rc = step.body();
    std::fflush(stdout);
    ::_exit(rc);
  }
  p->wr.reset();  // the parent keeps only the read end

  StepResult res;
  res.log = drain_output(p->rd.get());
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  res.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return res;
}

static int compile_step() {
  for (int i = 0; i < 12; i++)
    std::printf("[%2d/12] CC src/module_%02d.o\n", i + 1, i);
  return 0;
}

static int failing_step() {
  std::printf("test_parser ... ok\ntest_lexer ... FAILED\n");
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string which = argv[1];
  Step step;
  if (which == "build")
    step = {"build", compile_step};
  else if (which == "test")
    step = {"test", failing_step};
  else
    return 2;
  auto res = run_step(step);
  if (!res) {
    std::fprintf(stderr, "%s: cannot run: %s\n", step.name.c_str(), std::strerror(errno));
    return 1;
  }
  std::printf("== %s: status %d, %zu bytes of log\n%s", step.name.c_str(), res->status,
              res->log.size(), res->log.c_str());
  return res->status == (which == "test" ? 1 : 0) ? 0 : 1;
}

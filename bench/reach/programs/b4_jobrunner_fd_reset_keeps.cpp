// reach: a CI job runner forks each build step with its stdout on a pipe
// and collects the step's log. The pipe comes from make_pipe() as a pair
// of UniqueFd wrappers returned in a struct; after the fork the parent
// drops its copy of the write end with `wr.reset()` and reads the log to
// end-of-file in drain_output(). UniqueFd::reset() only stores the new
// value and never closes the descriptor it held, so the parent still holds
// the write end while it reads: drain_output() never sees end-of-file and
// the runner hangs on the first step, even after the step has exited.
// CROSSES: member function (reset() of the RAII wrapper decides whether the write end is closed); return value (the pipe pair comes back from make_pipe() in a struct); call chain (run_step -> drain_output reads to end-of-file)
// EXPECT: pipe-self-deadlock run_step|drain_output|reset build hang
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
  void reset(int fd = -1) noexcept { fd_ = fd; }

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

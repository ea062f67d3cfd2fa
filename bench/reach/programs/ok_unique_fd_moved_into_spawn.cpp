// reach (near-miss): make_pipe() returns both ends as unique_fd-like
// wrappers in a struct; run_tool() moves the write end into spawn_into(),
// which takes ownership by value, so the parent's copy is closed when the
// helper returns, before the caller reads the output to end-of-file. The
// child's exit status is checked, and a failed tool is reported.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: version exit
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd &operator=(Fd &&o) noexcept {
    if (this != &o) {
      close_now();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { close_now(); }
  int get() const { return fd_; }
  void close_now() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

struct Pipe {
  Fd read_end, write_end;
};

static bool make_pipe(Pipe &p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return false;
  p.read_end = Fd(fds[0]);
  p.write_end = Fd(fds[1]);
  return true;
}

// Starts argv with stdout on `out`; takes ownership of `out`.
static pid_t spawn_into(const char *const argv[], Fd out) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out.get(), STDOUT_FILENO);
    ::execvp(argv[0], const_cast<char *const *>(argv));
    ::_exit(127);
  }
  return pid;   // `out` is closed here in the parent
}

static int run_tool(const char *const argv[], std::string &out) {
  Pipe p;
  if (!make_pipe(p))
    return -1;
  pid_t pid = spawn_into(argv, std::move(p.write_end));
  if (pid < 0)
    return -1;
  char buf[1024];
  ssize_t n;
  while ((n = ::read(p.read_end.get(), buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "version")
    return 2;
  const char *ok_cmd[] = {"echo", "tool 2.0", nullptr};
  const char *bad_cmd[] = {"false", nullptr};
  std::string out, ignored;
  if (run_tool(ok_cmd, out) != 0 || out != "tool 2.0\n")
    return 1;
  if (run_tool(bad_cmd, ignored) == 0)
    return 1;   // a failing tool must be reported as a failure
  return 0;
}

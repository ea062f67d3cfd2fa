// reach: a unique_fd-like wrapper owns both ends of the capture pipe.
// spawn_with_stdout() documents that the caller keeps ownership of the
// descriptor it is given, but capture_stdout() passes pp.wr.release(), so
// nobody owns (or closes) the parent's copy of the write end any more, and
// the read loop never sees end-of-file after the child has exited.
// CROSSES: RAII wrapper (release() drops ownership of the write end); function boundary (fork/exec in a helper)
// EXPECT: pipe-self-deadlock capture_stdout capture hang
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd &&o) noexcept : fd_(o.release()) {}
  UniqueFd &operator=(UniqueFd &&o) noexcept {
    reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

private:
  int fd_ = -1;
};

struct PipePair {
  UniqueFd rd, wr;
};

static bool open_pipe(PipePair &pp) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return false;
  pp.rd.reset(fds[0]);
  pp.wr.reset(fds[1]);
  return true;
}

// Runs argv with its stdout on out_fd. The caller keeps ownership of
// out_fd (the child's copy goes away with exec: it is close-on-exec).
static pid_t spawn_with_stdout(char *const argv[], int out_fd) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::execvp(argv[0], argv);
    ::_exit(127);
  }
  return pid;
}

static bool capture_stdout(char *const argv[], std::string &out) {
  PipePair pp;
  if (!open_pipe(pp))
    return false;
  pid_t pid = spawn_with_stdout(argv, pp.wr.release());
  if (pid < 0)
    return false;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pp.rd.get(), buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid)
    return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "capture") {
    char *cmd[] = {const_cast<char *>("echo"), const_cast<char *>("version 1.4.2"), nullptr};
    std::string out;
    return capture_stdout(cmd, out) && out == "version 1.4.2\n" ? 0 : 1;
  }
  return 2;
}

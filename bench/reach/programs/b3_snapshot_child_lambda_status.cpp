// reach: a backup tool builds a file manifest in a forked child so that a
// hung NFS stat() can be killed. ChildProcess::run() makes the pipe, forks,
// and runs the lambda it is given with the write end in the child, which
// exits with the lambda's result. snapshot() reads the manifest to
// end-of-file and calls wait(), a method that reaps the child and throws
// its status away: a path that vanished ends the child with status 1
// part-way through, and the truncated manifest is stored as complete. The
// scenario exits 0 when it sees that.
// CROSSES: class member (pid kept in the object, reaped by a method that discards the status); lambda (the child's writes are in a callback given to the fork helper)
// EXPECT: pipe-writer-error-ignored snapshot|wait missing exit
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

class ChildProcess {
public:
  template <class Body> static ChildProcess run(Body body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe2");
    pid_t pid = ::fork();
    if (pid < 0) {
      int err = errno;
      ::close(fds[0]);
      ::close(fds[1]);
      throw std::system_error(err, std::generic_category(), "fork");
    }
    if (pid == 0) {
      ::close(fds[0]);
      int rc = body(fds[1]);
      ::_exit(rc);
    }
    ::close(fds[1]);
    return ChildProcess(pid, fds[0]);
  }

  ChildProcess(ChildProcess &&o) noexcept
      : pid_(std::exchange(o.pid_, -1)), out_(std::exchange(o.out_, -1)) {}
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ~ChildProcess() {
    if (out_ >= 0)
      ::close(out_);
    wait();
  }

  std::string read_all() {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_, buf, sizeof buf)) > 0)
      text.append(buf, static_cast<size_t>(n));
    ::close(out_);
    out_ = -1;
    return text;
  }

  void wait() {
    if (pid_ <= 0)
      return;
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR)
      ;
    pid_ = -1;
  }

private:
  ChildProcess(pid_t pid, int out) : pid_(pid), out_(out) {}
  pid_t pid_;
  int out_;
};

static int write_manifest(int fd, const std::vector<std::string> &paths) {
  for (const std::string &p : paths) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      std::fprintf(stderr, "manifest: %s: %s\n", p.c_str(), std::strerror(errno));
      return 1;
    }
    if (::dprintf(fd, "%s\t%lld\t%o\n", p.c_str(), static_cast<long long>(st.st_size),
                  static_cast<unsigned>(st.st_mode & 07777)) < 0)
      return 1;
  }
  return 0;
}

static bool snapshot(const std::vector<std::string> &paths, std::string &manifest) {
  auto child = ChildProcess::run(
      [&paths](int fd) { return write_manifest(fd, paths); });
  manifest = child.read_all();
  child.wait();
  return true;
}

static size_t count_lines(const std::string &s) {
  size_t n = 0;
  for (char c : s)
    n += c == '\n';
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  std::vector<std::string> paths = {"/", "/tmp", "/usr", "/bin/sh"};
  if (scenario == "missing")
    paths[1] = "/tmp/.b3-snapshot-vanished/file";
  else if (scenario != "all")
    return 2;
  std::string manifest;
  bool ok = snapshot(paths, manifest);
  size_t lines = count_lines(manifest);
  std::printf("snapshot %s, %zu of %zu entries\n", ok ? "stored" : "failed", lines,
              paths.size());
  if (scenario == "missing")
    return ok && lines < paths.size() ? 0 : 1;
  return ok && lines == paths.size() ? 0 : 1;
}

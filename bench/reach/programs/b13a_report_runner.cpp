// A small report generator: ReportRunner forks a worker that renders a CSV
// report into a pipe held in the object's own members (out_[2], pid_), and
// the parent collects the report text. The "small" scenario renders a few
// rows; the "big" scenario renders a quarterly report of several hundred KiB.
// BUG: collect() reaps the worker with waitpid(pid_) before it drains out_[0].
// A worker whose report exceeds the pipe buffer (64 KiB) blocks in write()
// forever, and the parent blocks in waitpid() forever.
// EXPECT: pipe-wait-before-drain collect|spawn big hang
// CROSSES: the pipe and the child's pid live in members set by the private helper spawn() and are used by collect()
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

bool writeAll(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

} // namespace

class ReportRunner {
public:
  explicit ReportRunner(int rows) : rows_(rows) {}
  ~ReportRunner() {
    if (out_[0] >= 0)
      close(out_[0]);
  }

  // Runs the worker and returns the rendered report; false on failure.
  bool collect(std::string &report, int &status) {
    if (!spawn())
      return false;
    // Reap the worker first so its exit status is known before parsing.
    if (waitpid(pid_, &status, 0) < 0) {
      perror("waitpid");
      return false;
    }
    pid_ = -1;
    char buf[8192];
    for (;;) {
      ssize_t n = read(out_[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      report.append(buf, static_cast<size_t>(n));
    }
    close(out_[0]);
    out_[0] = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

private:
  bool spawn() {
    if (pipe(out_) < 0) {
      perror("pipe");
      return false;
    }
    pid_ = fork();
    if (pid_ < 0) {
      perror("fork");
      close(out_[0]);
      close(out_[1]);
      out_[0] = out_[1] = -1;
      return false;
    }
    if (pid_ == 0) {
      close(out_[0]);
      _exit(render(out_[1]) ? 0 : 1);
    }
    close(out_[1]);
    out_[1] = -1;
    return true;
  }

  bool render(int fd) const {
    const char *header = "region,account,quarter,revenue,cost,margin\n";
    if (!writeAll(fd, header, strlen(header)))
      return false;
    char line[160];
    for (int i = 0; i < rows_; ++i) {
      int len = snprintf(line, sizeof line,
                         "region-%02d,acct-%06d,Q%d,%10d.%02d,%10d.%02d,%5.2f\n",
                         i % 17, i, i % 4 + 1, i * 37 % 100000, i % 100,
                         i * 29 % 90000, (i * 7) % 100, (i % 50) / 3.0);
      if (!writeAll(fd, line, static_cast<size_t>(len)))
        return false;
    }
    return true;
  }

  int rows_;
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s small|big\n", argv[0]);
    return 2;
  }
  int rows = strcmp(argv[1], "big") == 0 ? 8000 : 20;
  ReportRunner runner(rows);
  std::string report;
  int status = 0;
  if (!runner.collect(report, status)) {
    fprintf(stderr, "report failed (status %d)\n", status);
    return 1;
  }
  printf("report: %zu bytes\n", report.size());
  return 0;
}

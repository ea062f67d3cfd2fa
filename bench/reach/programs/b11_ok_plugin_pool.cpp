// Metrics relay: each configured sink is an external filter process that
// reads newline-separated metric lines on stdin. FilterPool starts all the
// sinks, fans every line out to them, and shutdown() closes each sink's
// input and waits for it, one after the other.
// CORRECT (near-miss): Pipe::make() creates every stdin pipe with
// pipe2(O_CLOEXEC). The sinks spawned later do inherit the write ends of the
// earlier sinks' pipes across fork(), but execv() closes them, so once
// shutdown() has closed a sink's input in the parent that sink sees
// end-of-file and exits, and the wait returns. In the child, dup2() onto
// stdin clears the flag on the copy the filter must keep.
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: three exit
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace {

struct Pipe {
  int rd = -1;
  int wr = -1;

  static Pipe make() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    return Pipe{fds[0], fds[1]};
  }
};

pid_t spawn_reading(const std::vector<std::string> &argv, const Pipe &in) {
  std::vector<char *> args;
  for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    if (dup2(in.rd, STDIN_FILENO) < 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

class FilterProcess {
 public:
  FilterProcess(std::string name, const std::vector<std::string> &argv) : name_(std::move(name)) {
    Pipe p = Pipe::make();
    pid_ = spawn_reading(argv, p);
    if (pid_ < 0) {
      int err = errno;
      close(p.rd);
      close(p.wr);
      throw std::system_error(err, std::generic_category(), "fork " + name_);
    }
    close(p.rd);
    in_fd_ = p.wr;
  }

  FilterProcess(const FilterProcess &) = delete;
  FilterProcess &operator=(const FilterProcess &) = delete;

  ~FilterProcess() {
    close_input();
    if (pid_ > 0) wait();
  }

  bool send(const std::string &line) {
    return write(in_fd_, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  }

  void close_input() {
    if (in_fd_ >= 0) close(in_fd_);
    in_fd_ = -1;
  }

  int wait() {
    int st = 0;
    while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

  const std::string &name() const { return name_; }

 private:
  std::string name_;
  pid_t pid_ = -1;
  int in_fd_ = -1;
};

class FilterPool {
 public:
  void add(std::string name, const std::vector<std::string> &argv) {
    sinks_.push_back(std::make_unique<FilterProcess>(std::move(name), argv));
  }

  bool publish(const std::string &metric) {
    std::string line = metric + "\n";
    for (auto &s : sinks_)
      if (!s->send(line)) return false;
    return true;
  }

  int shutdown() {
    int failed = 0;
    for (auto &s : sinks_) {
      s->close_input();
      if (s->wait() != 0) {
        std::fprintf(stderr, "sink %s failed\n", s->name().c_str());
        ++failed;
      }
    }
    sinks_.clear();
    return failed;
  }

 private:
  std::vector<std::unique_ptr<FilterProcess>> sinks_;
};

int relay(int nsinks) {
  FilterPool pool;
  const std::vector<std::pair<std::string, std::vector<std::string>>> config = {
      {"lines", {"/usr/bin/wc", "-l"}},
      {"words", {"/usr/bin/wc", "-w"}},
      {"bytes", {"/usr/bin/wc", "-c"}},
  };
  for (int i = 0; i < nsinks; ++i) pool.add(config[i].first, config[i].second);
  for (int i = 0; i < 40; ++i)
    if (!pool.publish("cpu.load host=web" + std::to_string(i % 4) + " value=0." + std::to_string(i)))
      return -1;
  return pool.shutdown();
}

}  // namespace

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  std::string scenario = argc > 1 ? argv[1] : "one";
  if (scenario == "one") return relay(1) == 0 ? 0 : 1;
  if (scenario == "three") return relay(3) == 0 ? 0 : 1;
  std::fprintf(stderr, "usage: %s one|three\n", argv[0]);
  return 2;
}

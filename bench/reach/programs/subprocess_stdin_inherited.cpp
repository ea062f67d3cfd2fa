// reach: class Subprocess (start()/close_input()/output()/wait()) makes its
// stdin and stdout pipes with plain pipe(), without O_CLOEXEC. The parent
// keeps the write end of the child's stdin in a member until
// close_input(). A second Subprocess started meanwhile inherits that write
// end through fork() and exec(), so `sort` never sees end-of-file on its
// stdin while `sleep` runs, and output() waits forever.
// CROSSES: class member (the parent's stdin write end kept in a member across start()/close_input()); exec inheritance through a second object's start()
// EXPECT: pipe-unclosed-write-end start sort-with-ticker hang
#include <cerrno>
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

class Subprocess {
public:
  explicit Subprocess(std::vector<std::string> argv) : argv_(std::move(argv)) {}
  ~Subprocess() {
    close_input();
    if (out_ >= 0)
      ::close(out_);
  }

  bool start() {
    int in[2], out[2];
    if (::pipe(in) != 0)
      return false;
    if (::pipe(out) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      return false;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(in[0]); ::close(in[1]);
      ::close(out[0]); ::close(out[1]);
      std::vector<char *> av;
      for (auto &a : argv_)
        av.push_back(&a[0]);
      av.push_back(nullptr);
      ::execvp(av[0], av.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = out[0];
    return pid_ > 0;
  }

  bool write_input(const std::string &s) {
    return ::write(in_, s.data(), s.size()) == static_cast<ssize_t>(s.size());
  }
  void close_input() {
    if (in_ >= 0)
      ::close(in_);
    in_ = -1;
  }

  std::string output() {
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_, buf, sizeof buf)) > 0)
      all.append(buf, static_cast<size_t>(n));
    return all;
  }

  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private:
  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
};

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  if (scenario != "sort-with-ticker" && scenario != "sort-alone")
    return 2;
  Subprocess sorter({"sort"});
  if (!sorter.start())
    return 1;
  Subprocess ticker({"sleep", "30"});
  if (scenario == "sort-with-ticker" && !ticker.start())
    return 1;
  sorter.write_input("pear\napple\nfig\n");
  sorter.close_input();
  std::string sorted = sorter.output();
  return sorter.wait() == 0 && sorted == "apple\nfig\npear\n" ? 0 : 1;
}

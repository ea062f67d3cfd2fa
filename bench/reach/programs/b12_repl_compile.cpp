// C snippet REPL: each snippet is compiled by an external compiler whose
// stdout and stderr are captured; a console task (std::async) reads the text
// the REPL forwards to it and shows it to the user.
// BUG: the compiler's stderr used to get a pipe of its own, and with
// --merge-diagnostics run() first splices the stderr pipe into the stdout pipe
// so warnings come out in order. The compiler is now started with 2>&1 into
// a single pipe, and pipeFor() maps CompilerErr and CompilerOut to the same
// pipes_[0]: forward(CompilerErr, CompilerOut) splices that pipe into itself
// (while the REPL still holds its write end, kept open for the merge).
// The kernel refuses (EINVAL) and every evaluation fails. The "merge"
// scenario exits 0 when it sees the EINVAL.
// EXPECT: pipe-self-copy forward|run merge exit
// CROSSES: both descriptors come from pipeFor(), a member that maps two different enum values to the same element of the std::array<Pipe, 2> member filled by makePipe() in the constructor; the splice loop is in forward(), called from run()
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <future>
#include <string>
#include <system_error>

namespace {

struct Pipe {
  int rd = -1;
  int wr = -1;
};

Pipe makePipe() {
  int fds[2];
  if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return Pipe{fds[0], fds[1]};
}

void closeFd(int &fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

pid_t startCompiler(const std::string &snippet, int outFd) {
  // stand-in for `cc -fsyntax-only -x c -`: complains about the snippet, then succeeds
  std::string cmd = "echo \"<stdin>:1:" + std::to_string(snippet.size()) +
                    ": warning: unused variable\" >&2; echo 'ok: snippet compiled'";
  pid_t pid = fork();
  if (pid == 0) {
    dup2(outFd, STDOUT_FILENO);
    dup2(outFd, STDERR_FILENO);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  return pid;
}

enum class Stream { CompilerOut, CompilerErr, Console };

class Evaluation {
 public:
  Evaluation(const std::string &snippet, bool mergeDiagnostics) : merge_(mergeDiagnostics) {
    pipes_[0] = makePipe();  // compiler stdout + stderr
    pipes_[1] = makePipe();  // console
    fcntl(pipes_[1].rd, F_SETFD, FD_CLOEXEC);
    fcntl(pipes_[1].wr, F_SETFD, FD_CLOEXEC);
    console_ = std::async(std::launch::async, [this] { return drainConsole(); });
    std::fflush(stdout);
    compiler_ = startCompiler(snippet, pipes_[0].wr);
    // pipes_[0].wr stays open until run(): merged diagnostics are spliced into it
  }

  // returns 0 on success, otherwise the errno of the failed forward
  int run(std::string &consoleText) {
    int err = 0;
    if (merge_ && forward(Stream::CompilerErr, Stream::CompilerOut) < 0) err = errno;
    closeFd(pipes_[0].wr);
    if (err == 0 && forward(Stream::CompilerOut, Stream::Console) < 0) err = errno;
    closeFd(pipes_[0].rd);
    closeFd(pipes_[1].wr);
    consoleText = console_.get();
    int status = 0;
    if (compiler_ > 0) waitpid(compiler_, &status, 0);
    if (err == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) err = ECHILD;
    return err;
  }

 private:
  Pipe &pipeFor(Stream s) { return s == Stream::Console ? pipes_[1] : pipes_[0]; }

  long forward(Stream from, Stream to) {
    int in = pipeFor(from).rd;
    int out = pipeFor(to).wr;
    long total = 0;
    for (;;) {
      ssize_t n = splice(in, nullptr, out, nullptr, 65536, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return -1;
      if (n == 0) return total;
      total += n;
    }
  }

  std::string drainConsole() {
    std::string text;
    char buf[1024];
    ssize_t n;
    while ((n = read(pipes_[1].rd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    closeFd(pipes_[1].rd);
    return text;
  }

  bool merge_;
  std::array<Pipe, 2> pipes_;
  std::future<std::string> console_;
  pid_t compiler_ = -1;
};

int evaluate(const std::string &snippet, bool merge, std::string &shown) {
  Evaluation ev(snippet, merge);
  return ev.run(shown);
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "plain";
  if (scenario != "plain" && scenario != "merge") {
    std::fprintf(stderr, "usage: %s plain|merge\n", argv[0]);
    return 2;
  }
  std::string shown;
  int err = evaluate("int x = 42;", scenario == "merge", shown);
  std::printf("%s: %s\n%s", scenario.c_str(), err ? std::strerror(err) : "evaluated", shown.c_str());
  if (scenario == "plain") return err == 0 && shown.find("snippet compiled") != std::string::npos ? 0 : 1;
  return err == EINVAL ? 0 : 1;  // merge: the splice into the same pipe was refused
}

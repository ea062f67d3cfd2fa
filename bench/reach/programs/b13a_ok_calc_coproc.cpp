// A calculator session run as a co-process: CalcSession starts a shell loop
// that evaluates one arithmetic expression per input line and replies with
// the result. The parent reads every reply while it still holds the command
// pipe, then ends the session in-band with "quit"; the co-process answers
// "bye" and exits by itself, so waitpid() returns even though the child
// inherited the command pipe's write end. The destructor closes everything.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-self-deadlock
// PROOF: session exit
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

class CalcSession {
public:
  ~CalcSession() {
    for (int fd : {in_[1], out_[0]})
      if (fd >= 0)
        close(fd);
  }

  bool start() {
    static const char *script =
        "while read -r l; do case \"$l\" in "
        "quit) echo bye; exit 0;; "
        "*) echo \"$(($l))\";; esac; done";
    if (pipe(in_) < 0 || pipe(out_) < 0) {
      perror("pipe");
      return false;
    }
    pid_ = fork();
    if (pid_ < 0) {
      perror("fork");
      return false;
    }
    if (pid_ == 0) {
      dup2(in_[0], STDIN_FILENO);
      dup2(out_[1], STDOUT_FILENO);
      close(in_[0]);
      close(out_[0]);
      close(out_[1]);
      execl("/bin/sh", "sh", "-c", script, (char *)nullptr);
      _exit(127);
    }
    close(in_[0]);
    close(out_[1]);
    in_[0] = out_[1] = -1;
    return true;
  }

  bool ask(const std::string &expr, std::string &reply) {
    std::string line = expr + "\n";
    size_t off = 0;
    while (off < line.size()) {
      ssize_t w = write(in_[1], line.data() + off, line.size() - off);
      if (w < 0) {
        if (errno == EINTR)
          continue;
        perror("write");
        return false;
      }
      off += static_cast<size_t>(w);
    }
    reply.clear();
    char c;
    for (;;) {
      ssize_t n = read(out_[0], &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      if (c == '\n')
        return true;
      reply.push_back(c);
    }
  }

  int quit() {
    std::string bye;
    if (!ask("quit", bye) || bye != "bye")
      fprintf(stderr, "calc: unexpected goodbye '%s'\n", bye.c_str());
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR)
        return -1;
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private:
  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
  pid_t pid_ = -1;
};

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "session") != 0) {
    fprintf(stderr, "usage: %s session\n", argv[0]);
    return 2;
  }
  CalcSession calc;
  if (!calc.start())
    return 1;
  const char *exprs[] = {"1 + 2", "6 * 7", "(100 - 1) / 3"};
  for (const char *e : exprs) {
    std::string reply;
    if (!calc.ask(e, reply)) {
      fprintf(stderr, "calc died\n");
      return 1;
    }
    printf("%s = %s\n", e, reply.c_str());
  }
  int rc = calc.quit();
  printf("calc exited %d\n", rc);
  return rc == 0 ? 0 : 1;
}

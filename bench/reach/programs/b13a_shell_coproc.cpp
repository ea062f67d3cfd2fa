// A tiny co-process driver: ShellCoproc starts `sh -c 'while read ...'` as an
// interactive worker, sends it one command per line on its stdin pipe and
// reads one reply line per command from its stdout pipe. finish() ends the
// session by closing the command pipe (EOF ends the read loop) and reaping.
// BUG: the command pipe is made without O_CLOEXEC and the child never closes
// in_[1] before exec, so sh inherits the write end of its own stdin. When
// finish() closes the parent's copy and calls waitpid(), sh is still blocked
// in read() on a pipe whose writer is itself: both wait forever.
// EXPECT: pipe-unclosed-write-end start|finish session hang
// CROSSES: the pipes and pid are members; start() forks and execs, the close and waitpid are in finish()
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

class ShellCoproc {
public:
  ~ShellCoproc() {
    if (out_[0] >= 0)
      close(out_[0]);
  }

  bool start(const char *script) {
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
    return true;
  }

  bool send(const std::string &cmd) {
    std::string line = cmd + "\n";
    const char *p = line.data();
    size_t n = line.size();
    while (n > 0) {
      ssize_t w = write(in_[1], p, n);
      if (w < 0) {
        if (errno == EINTR)
          continue;
        perror("write");
        return false;
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  bool readReply(std::string &reply) {
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

  int finish() {
    close(in_[1]);
    in_[1] = -1;
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
  ShellCoproc sh;
  if (!sh.start("while read -r l; do echo \"ok:$l\"; done"))
    return 1;
  const char *cmds[] = {"open db", "select users", "count rows"};
  for (const char *c : cmds) {
    std::string reply;
    if (!sh.send(c) || !sh.readReply(reply)) {
      fprintf(stderr, "coproc died\n");
      return 1;
    }
    printf("%s -> %s\n", c, reply.c_str());
  }
  int rc = sh.finish();
  printf("coproc exited %d\n", rc);
  return rc == 0 ? 0 : 1;
}

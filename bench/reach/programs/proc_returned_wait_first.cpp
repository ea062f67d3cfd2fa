// reach: spawn() returns a Proc {pid, out} by value; capture() calls
// wait_for() before draining the output, and the child writes more than a
// pipe holds.
// CROSSES: return value (struct with pid and read end); function boundary (wait in a helper)
// EXPECT: pipe-wait-before-drain capture|wait_for capture hang
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Proc {
  pid_t pid = -1;
  int out = -1;
};

Proc spawn(const std::vector<std::string> &args) {
  Proc p;
  int fds[2];
  if (pipe(fds) != 0)
    return p;
  p.pid = fork();
  if (p.pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char *> av;
    for (auto &a : args)
      av.push_back(const_cast<char *>(a.c_str()));
    av.push_back(nullptr);
    execvp(av[0], av.data());
    _exit(127);
  }
  close(fds[1]);
  p.out = fds[0];
  return p;
}

int wait_for(const Proc &p) {
  int status = 0;
  if (waitpid(p.pid, &status, 0) != p.pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string capture(const std::vector<std::string> &args) {
  Proc p = spawn(args);
  if (p.pid < 0)
    return {};
  int rc = wait_for(p);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(p.out, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  close(p.out);
  return rc == 0 ? out : std::string();
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "capture")
    return capture({"seq", "1", "100000"}).empty() ? 1 : 0;
  return 2;
}

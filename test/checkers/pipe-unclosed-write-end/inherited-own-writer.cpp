// A child that inherits the write end of the pipe made for it, in C++: a
// member function that spawns a command on the terminal and keeps the read
// end in a member to learn when it finished (ninja's Subprocess::Start in
// console mode), and a lambda that forks and execs. Silent: the child is
// the pipe's only writer and the parent closes its copy right after the
// start. Reported: the same class spawning a second program while the end
// is still open, and a lambda whose child reads the pipe as its stdin.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s console-member exit
// RUN: %run_example %s console-lambda exit
// RUN: %run_example %s member-second hang
// RUN: %run_example %s lambda-child-reads hang

#include <fcntl.h>
#include <spawn.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

void waitEof(int fd) {
  char buf[256];
  while (read(fd, buf, sizeof buf) > 0)
    ;
}

void setCloseOnExec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0)
    fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

class Subprocess {
public:
  ~Subprocess() {
    if (fd_ >= 0)
      close(fd_);
  }
  bool start(const std::string &command, bool withDaemon);
  // Reads until the command and everything it started are done.
  bool finish() {
    waitEof(fd_);
    return waitpid(pid_, nullptr, 0) == pid_;
  }

private:
  int fd_ = -1;
  pid_t pid_ = -1;
};

bool Subprocess::start(const std::string &command, bool withDaemon) {
  int pipeFds[2];
  if (pipe(pipeFds) < 0)
    return false;
  fd_ = pipeFds[0];
  setCloseOnExec(fd_);
  posix_spawn_file_actions_t action;
  posix_spawn_file_actions_init(&action);
  posix_spawn_file_actions_addclose(&action, pipeFds[0]);
  const char *args[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  int err = posix_spawn(&pid_, "/bin/sh", &action, nullptr,
                        const_cast<char **>(args), environ);
  // CHECK-MESSAGES: :[[@LINE-2]]:13: warning: write end 'pipeFds[1]' is inherited by the child that 'posix_spawn' starts because it lacks O_CLOEXEC
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  posix_spawn_file_actions_destroy(&action);
  if (err != 0) {
    close(pipeFds[1]);
    return false;
  }
  if (withDaemon) {
    // A long-running helper started with the end still open.
    pid_t other;
    const char *daemon[] = {"sleep", "30", nullptr};
    posix_spawnp(&other, "sleep", nullptr, nullptr,
                 const_cast<char **>(daemon), environ);
    // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: write end 'pipeFds[1]' is inherited by the child that 'posix_spawnp' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-24]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the true branch
  }
  close(pipeFds[1]);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "console-member" || s == "member-second") {
    Subprocess p;
    if (!p.start("echo console; sleep 0.1", s == "member-second"))
      return 1;
    return p.finish() ? 0 : 1;
  }
  auto runConsole = [](const char *cmd) {
    int done[2];
    if (pipe(done) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(done[0]);
      close(done[1]);
      return -1;
    }
    if (pid == 0) {
      close(done[0]);
      execl("/bin/sh", "sh", "-c", cmd, (char *)nullptr);
      _exit(127);
    }
    close(done[1]);
    waitEof(done[0]);
    close(done[0]);
    return waitpid(pid, nullptr, 0) == pid ? 0 : -1;
  };
  auto runFilter = []() {
    int in[2];
    if (pipe(in) < 0)
      return -1;
    pid_t pid = fork();
    if (pid < 0) {
      close(in[0]);
      close(in[1]);
      return -1;
    }
    if (pid == 0) {
      dup2(in[0], 0);
      close(in[0]);
      execlp("cat", "cat", (char *)nullptr);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'in[1]' is inherited by the child that 'execlp' starts because it lacks O_CLOEXEC
      // CHECK-MESSAGES: :[[@LINE-13]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-6]]:9: note: taking the true branch
      _exit(127);
    }
    close(in[0]);
    close(in[1]);
    return waitpid(pid, nullptr, 0) == pid ? 0 : -1;
  };
  if (s == "console-lambda")
    return runConsole("echo console; sleep 0.1") != 0;
  if (s == "lambda-child-reads")
    return runFilter() != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

// Caller context with the result stored in a static data member, in C++:
// `child_ = spawn(&out_, name); if (child_ < 0) std::exit(1);`. The
// member holds the result only in the condition of the `if` right after
// the assignment (which calls nothing). Each spawn function leaks the write
// end of its pipe when the name is too long, and fails.
//  - Supervisor::startChecked() tests the member right away and exits:
//    silent;
//  - Supervisor::startLogged() calls note() between the store and the
//    test, which resets the member; it then survives the failure and reads
//    the pipe: reported.
//
// RUN: %check_pipe_tidy --require-analysed -std=c++17 %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -std=c++17 -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" --
//
// RUN: %run_example %s checked exit -- -std=c++17
// RUN: %run_example %s logged hang -- -std=c++17

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
constexpr std::size_t MaxName = 16;
const char LongName[] = "a-name-longer-than-sixteen-bytes";

pid_t spawnChecked(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return -1;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'spawnChecked' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ON: :[[@LINE-4]]:7: note: taking the true branch
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dprintf(fds[1], "checked %s\n", name);
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

pid_t spawnLogged(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'spawnLogged' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dprintf(fds[1], "logged %s\n", name);
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}
} // namespace

class Supervisor {
public:
  static void startChecked(const char *name) {
    child_ = spawnChecked(&out_, name);
    if (child_ < 0) {
      std::fprintf(stderr, "cannot start %s\n", name);
      std::exit(1);
    }
    std::printf("%ld\n", drain(out_));
  }
  static void startLogged(const char *name) {
    child_ = spawnLogged(&out_, name);
    note();
    if (child_ < 0)
      std::exit(1);
    std::printf("%ld\n", drain(out_));
  }

private:
  static void note() {
    ++starts_;
    child_ = 0; // forget the previous child
  }
  static pid_t child_;
  static int out_;
  static int starts_;
};

pid_t Supervisor::child_ = 0;
int Supervisor::out_ = -1;
int Supervisor::starts_ = 0;

static void scenario(const char *s) {
  if (std::strcmp(s, "checked") == 0)
    Supervisor::startChecked(LongName);
  else if (std::strcmp(s, "logged") == 0)
    Supervisor::startLogged(LongName);
  else
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    scenario(s);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  std::fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

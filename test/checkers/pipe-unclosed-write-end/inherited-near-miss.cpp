// The near-miss twins of inherited.cpp: close-on-exec pipes from helpers, ends
// closed before the program starts or before the worker's loop, a child that
// ends after a bounded loop, a child that never reads the standard input it
// is given, the child's input closed before its output is read, an addclose()
// after the adddup2(), and a dup() wrapper's copy closed on every path.
// pipe-unclosed-write-end reports nothing, and every scenario finishes.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %run_example %s ref-helper-cloexec exit
// RUN: %run_example %s member-closes-first exit
// RUN: %run_example %s worker-closes exit
// RUN: %run_example %s worker-bounded exit
// RUN: %run_example %s worker-no-reader exit
// RUN: %run_example %s child-ignores-stdin exit
// RUN: %run_example %s filter-closes exit
// RUN: %run_example %s spawn-addclose exit
// RUN: %run_example %s dup-wrapper-closed exit

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char **environ;

namespace {
ssize_t drain(int fd) {
  char buf[4096];
  ssize_t n, total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}
} // namespace

namespace ipc {
struct Pipe {
  int rd = -1, wr = -1;
};

bool open_pipe_cloexec(Pipe &p) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return false;
  p.rd = fds[0];
  p.wr = fds[1];
  return true;
}
} // namespace ipc

int run_with_log(const std::string &cmd) {
  ipc::Pipe log;
  if (!ipc::open_pipe_cloexec(log))
    return -1;
  pid_t logger = fork();
  if (logger < 0) {
    close(log.rd);
    close(log.wr);
    return -1;
  }
  if (logger == 0) {
    close(log.wr);
    drain(log.rd);
    _exit(0);
  }
  close(log.rd);
  dprintf(log.wr, "running %s\n", cmd.c_str());
  std::system(cmd.c_str());
  close(log.wr);
  int status = -1;
  waitpid(logger, &status, 0);
  return status;
}

class Channel {
public:
  bool open() {
    int fds[2];
    if (pipe(fds) != 0)
      return false;
    rd = fds[0];
    wr = fds[1];
    return true;
  }
  int rd = -1, wr = -1;
};

// The write end is closed before the program starts.
int launch_with_channel(char *const argv[]) {
  Channel ch;
  if (!ch.open())
    return -1;
  pid_t reader = fork();
  if (reader < 0) {
    close(ch.rd);
    close(ch.wr);
    return -1;
  }
  if (reader == 0) {
    close(ch.wr);
    drain(ch.rd);
    _exit(0);
  }
  close(ch.rd);
  dprintf(ch.wr, "starting\n");
  close(ch.wr);
  pid_t prog = -1;
  posix_spawnp(&prog, argv[0], nullptr, nullptr, argv, environ);
  int status = -1;
  waitpid(reader, &status, 0);
  if (prog > 0)
    waitpid(prog, nullptr, WNOHANG);
  return status;
}

// The cache worker closes rep[1] before its endless loop; with 'bounded'
// it loops a bounded number of times and exits instead.
ssize_t report_with_cache(bool bounded) {
  int rep[2];
  if (pipe(rep) != 0)
    return -1;
  pid_t writer = fork();
  if (writer == 0) {
    close(rep[0]);
    dprintf(rep[1], "report\n");
    _exit(0);
  }
  pid_t cache = fork();
  if (cache == 0) {
    close(rep[0]);
    if (bounded) {
      for (int i = 0; i < 3; ++i)
        usleep(1000);
      _exit(0);
    }
    close(rep[1]);
    while (true)
      pause();
  }
  close(rep[1]);
  ssize_t n = drain(rep[0]);
  close(rep[0]);
  if (cache > 0) {
    kill(cache, SIGTERM);
    waitpid(cache, nullptr, 0);
  }
  if (writer > 0)
    waitpid(writer, nullptr, 0);
  return n;
}

// The worker keeps rep[1] forever, but nobody reads the pipe.
int cache_without_reader() {
  int rep[2];
  if (pipe(rep) != 0)
    return -1;
  pid_t cache = fork();
  if (cache == 0) {
    close(rep[0]);
    while (true)
      pause();
  }
  // Write while this process still holds the read end: once both copies
  // of rep[0] are closed a write raises SIGPIPE, and whether the child has
  // closed its copy yet is a race.
  dprintf(rep[1], "unread\n");
  close(rep[0]);
  close(rep[1]);
  if (cache > 0) {
    kill(cache, SIGTERM);
    waitpid(cache, nullptr, 0);
  }
  return 0;
}

// A child given a standard input that it never reads: it prints and ends.
ssize_t child_ignores_stdin() {
  int in[2], out[2];
  if (pipe(in) != 0)
    return -1;
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    dprintf(STDOUT_FILENO, "ready\n");
    _exit(0);
  }
  close(in[0]);
  close(out[1]);
  ssize_t n = drain(out[0]);
  close(in[1]);
  close(out[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

// The child's input is closed before its output is read.
ssize_t filter(const char *prog, const std::string &text) {
  int in[2], out[2];
  if (pipe(in) != 0)
    return -1;
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp(prog, prog, static_cast<char *>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], text.data(), text.size());
  close(in[1]);
  char buf[256];
  ssize_t n, total = 0;
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    total += n;
  close(out[0]);
  waitpid(pid, nullptr, 0);
  return total;
}

ssize_t spawn_output(std::vector<char *> argv) {
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  ssize_t n = drain(fds[0]);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return n;
}

namespace sys {
int duplicate(int fd) {
  int copy = dup(fd);
  if (copy < 0)
    std::abort();
  return copy;
}
} // namespace sys

int message_pipe(const std::string &msg) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  int copy = sys::duplicate(fds[1]);
  close(fds[1]);
  if (msg.empty()) {
    close(copy);
    return fds[0];
  }
  dprintf(copy, "%s\n", msg.c_str());
  close(copy);
  return fds[0];
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  char sleep_[] = "sleep", thirty[] = "30";
  char sh[] = "sh", dash_c[] = "-c",
       script[] = "echo started; sleep 30 >/dev/null &";
  char *sleeper[] = {sleep_, thirty, nullptr};
  if (s == "ref-helper-cloexec")
    return run_with_log("sleep 30 &") != 0;
  if (s == "member-closes-first")
    return launch_with_channel(sleeper) != 0;
  if (s == "worker-closes")
    return report_with_cache(false) <= 0;
  if (s == "worker-bounded")
    return report_with_cache(true) <= 0;
  if (s == "worker-no-reader")
    return cache_without_reader();
  if (s == "child-ignores-stdin")
    return child_ignores_stdin() != 6;
  if (s == "filter-closes")
    return filter("sort", "b\na\n") != 4;
  if (s == "spawn-addclose")
    return spawn_output({sh, dash_c, script}) <= 0;
  if (s == "dup-wrapper-closed")
    return drain(message_pipe("")) != 0;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

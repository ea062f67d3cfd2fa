// Write ends that another process inherits without meaning to, in C++:
// creator helpers taking a reference or returning a struct, a member function
// that makes the pipe, a forked worker looping forever, a parent reading a
// child's output while holding its standard input, posix_spawn file actions
// and a dup() wrapper in a namespace. Every finding's scenario hangs; the
// "-ok" and "-fixed" scenarios finish.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s ref-helper hang
// RUN: %run_example %s ref-helper-ok exit
// RUN: %run_example %s member-helper hang
// RUN: %run_example %s member-helper-fixed exit
// RUN: %run_example %s worker-loop hang
// RUN: %run_example %s worker-loop-fixed exit
// RUN: %run_example %s filter hang
// RUN: %run_example %s filter-fixed exit
// RUN: %run_example %s spawn-dup2 hang
// RUN: %run_example %s spawn-dup2-fixed exit
// RUN: %run_example %s dup-wrapper hang
// RUN: %run_example %s dup-wrapper-ok exit

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

// ---- 1. creator helpers: a reference parameter, a member function -------

namespace ipc {
struct Pipe {
  int rd = -1, wr = -1;
};

// Fills 'p' with a new pipe; false on failure.
bool open_pipe(Pipe &p) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  p.rd = fds[0];
  p.wr = fds[1];
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe leaves 'open_pipe' here without O_CLOEXEC, and 'run_with_log' starts a program with 'system' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'open_pipe' [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+22]]:3: note: the program started here inherits 'log.wr', which 'run_with_log' got from 'open_pipe'
}
} // namespace ipc

// Runs 'cmd' while a logger child reads what the parent reports.
int run_with_log(const std::string &cmd) {
  ipc::Pipe log;
  if (!ipc::open_pipe(log))
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
  // Makes the pipe; false on failure.
  bool open() {
    int fds[2];
    if (pipe(fds) != 0)
      return false;
    rd = fds[0];
    wr = fds[1];
    return true;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'wr' of the pipe leaves 'open' here without O_CLOEXEC, and 'launch_with_channel' starts a program with 'posix_spawnp' while it still holds it; that program inherits the end, and readers of the pipe never see end-of-file while it runs; create the pipe with pipe2(..., O_CLOEXEC) or set FD_CLOEXEC on the end before it leaves 'open' [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+32]]:3: note: the program started here inherits 'ch.wr', which 'launch_with_channel' got from 'open'
  }
  // The fixed variant.
  bool open_cloexec() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      return false;
    rd = fds[0];
    wr = fds[1];
    return true;
  }
  int rd = -1, wr = -1;
};

// A member function for the helper, a program started by posix_spawnp.
int launch_with_channel(char *const argv[], bool cloexec) {
  Channel ch;
  if (!(cloexec ? ch.open_cloexec() : ch.open()))
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
  pid_t prog = -1;
  posix_spawnp(&prog, argv[0], nullptr, nullptr, argv, environ);
  dprintf(ch.wr, "started\n");
  close(ch.wr);
  int status = -1;
  waitpid(reader, &status, 0);
  if (prog > 0)
    waitpid(prog, nullptr, WNOHANG);
  return status;
}

// ---- 2. a forked worker that loops forever ------------------------------

// Forks a report writer and a cache worker that serves until it is killed;
// returns the length of the report.
ssize_t report_with_cache(bool fixed) {
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
    if (fixed)
      close(rep[1]);
    while (true) {
      // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'cache' never ends: it runs this endless loop still holding write end 'rep[1]' of the pipe, which it never uses; readers of the pipe never see end-of-file while it runs; close 'rep[1]' in the child before the loop [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-8]]:17: note: the child is forked here
      pause();
    }
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

// ---- 3. the output read while the child's input is still open ----------

// Pipes 'text' through a filter program; returns the bytes it prints.
ssize_t filter(const char *prog, const std::string &text, bool fixed) {
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
  if (fixed)
    close(in[1]);
  char buf[256];
  ssize_t n, total = 0;
  while ((n = read(out[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'read' waits for end-of-file on the output of child process 'pid' while this process still holds write end 'in[1]' of that child's standard input; the child waits for end-of-file on its input and never finishes, so both wait forever; close 'in[1]' before reading the child's output [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-34]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
    total += n;
  if (!fixed)
    close(in[1]);
  close(out[0]);
  waitpid(pid, nullptr, 0);
  return total;
}

// ---- 4. adddup2() without addclose() ------------------------------------

ssize_t spawn_output(std::vector<char *> argv, bool fixed) {
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  if (fixed)
    posix_spawn_file_actions_addclose(&fa, fds[1]);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: the program that 'posix_spawnp' starts gets write end 'fds[1]' from posix_spawn_file_actions_adddup2() and also inherits 'fds[1]' itself, since no posix_spawn_file_actions_addclose() of it follows and it lacks O_CLOEXEC; readers of the pipe never see end-of-file while that program or anything it starts runs, even after it closes its copy; add posix_spawn_file_actions_addclose() of 'fds[1]' after the adddup2() [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the false branch
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

// ---- 5. a dup() wrapper in a namespace ----------------------------------

namespace sys {
int duplicate(int fd) {
  int copy = dup(fd);
  if (copy < 0)
    std::abort();
  return copy;
}
} // namespace sys

// Sends 'msg' through a copy of the write end; returns the read end.
int message_pipe(const std::string &msg) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  int copy = sys::duplicate(fds[1]);
  close(fds[1]);
  if (msg.empty())
    return fds[0];
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'copy' of the pipe is still open when 'message_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: duplicate created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(copy, "%s\n", msg.c_str());
  close(copy);
  return fds[0];
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  char sleep_[] = "sleep", thirty[] = "30", true_[] = "true";
  char sh[] = "sh", dash_c[] = "-c",
       script[] = "echo started; sleep 30 >/dev/null &";
  char *sleeper[] = {sleep_, thirty, nullptr};
  char *quick[] = {true_, nullptr};
  if (s == "ref-helper")
    return run_with_log("sleep 30 &") != 0;
  if (s == "ref-helper-ok")
    return run_with_log("true") != 0;
  if (s == "member-helper")
    return launch_with_channel(sleeper, false) != 0;
  if (s == "member-helper-fixed")
    return launch_with_channel(sleeper, true) != 0;
  (void)quick;
  if (s == "worker-loop")
    return report_with_cache(false) <= 0;
  if (s == "worker-loop-fixed")
    return report_with_cache(true) <= 0;
  if (s == "filter")
    return filter("sort", "b\na\n", false) != 4;
  if (s == "filter-fixed")
    return filter("sort", "b\na\n", true) != 4;
  if (s == "spawn-dup2")
    return spawn_output({sh, dash_c, script}, false) <= 0;
  if (s == "spawn-dup2-fixed")
    return spawn_output({sh, dash_c, script}, true) <= 0;
  if (s == "dup-wrapper")
    return drain(message_pipe("")) != 0;
  if (s == "dup-wrapper-ok")
    return drain(message_pipe("hi")) != 3;
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

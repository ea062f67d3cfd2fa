// pipe-wait-before-drain in C++ through a member function and a lambda
// that fork a child and return its pid (the C shapes, at depth 1 to 3:
// returned-pid-helpers.c). The caller waits for the child before reading
// its output; a child that writes more than the pipe holds never exits
// (hang). The near-misses read the output first, or keep the pid in a
// data member (`pid_ = popen2(r, w, cmd)`, as znc's CExecSock does: the
// engine does not follow the member, so the test of it cannot tell the
// helper's failure from its success, and nothing is said): they finish and
// stay silent.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-unclosed-write-end %t -- -- -I%S -std=c++17
// RUN: %run_example %s member hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lambda-read-first exit
// RUN: %run_example %s member-pid exit

#include <cstdio>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

class SeqRunner {
public:
  explicit SeqRunner(std::string last) : last_(std::move(last)) {}

  // Starts `seq 1 LAST` writing into out[1]; the child's pid, or -1.
  pid_t start(int out[2]) const {
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execlp("seq", "seq", "1", last_.c_str(), (char *)nullptr);
      _exit(127);
    }
    return pid;
  }

private:
  std::string last_;
};

// Starts `sh -c CMD` with pipes on its standard input and output.
class ExecSock {
public:
  int execute(const char *cmd) {
    int rd, wr;
    pid_ = popen2(rd, wr, cmd);
    if (pid_ != -1) {
      rd_ = rd;
      wr_ = wr;
    }
    return pid_;
  }
  long finish() {
    close(wr_);
    long got = drain(rd_);
    close(rd_);
    int status = 0;
    waitpid(pid_, &status, 0);
    return got;
  }
  int popen2(int &rd, int &wr, const char *cmd);

private:
  int pid_ = -1, rd_ = -1, wr_ = -1;
};

int ExecSock::popen2(int &rd, int &wr, const char *cmd) {
  int out[2], in[2];
  rd = wr = -1;
  if (pipe(out) < 0)
    return -1;
  if (pipe(in) < 0) {
    close(out[0]);
    close(out[1]);
    return -1;
  }
  int pid = fork();
  if (pid == -1) {
    close(out[0]);
    close(out[1]);
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
    execlp("sh", "sh", "-c", cmd, (char *)nullptr);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  rd = out[0];
  wr = in[1];
  return pid;
}

static bool exitedOk(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

long member(const SeqRunner &runner) {
  int out[2];
  if (pipe(out) < 0)
    return -1;
  pid_t pid = runner.start(out);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :116:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :114:7: note: pipe created here
  // CHECK-MESSAGES: :128:14: note: 'out[0]' is read only here, after the wait
  long got = drain(out[0]);
  close(out[0]);
  return exitedOk(status) ? got : -1;
}

long lambda(const char *last, bool readFirst) {
  auto start = [last](int *o) -> pid_t {
    pid_t pid = fork();
    if (pid == 0) {
      dup2(o[1], STDOUT_FILENO);
      close(o[0]);
      close(o[1]);
      execlp("seq", "seq", "1", last, (char *)nullptr);
      _exit(127);
    }
    return pid;
  };
  int out[2];
  if (pipe(out) < 0)
    return -1;
  pid_t pid = start(out);
  close(out[1]);
  if (pid < 0) {
    close(out[0]);
    return -1;
  }
  int status = 0;
  long got = 0;
  if (readFirst) {
    got = drain(out[0]);
    close(out[0]);
    waitpid(pid, &status, 0);
    return exitedOk(status) ? got : -1;
  }
  waitpid(pid, &status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out[0]' is read to the end{{.*}}[pipe-wait-before-drain]
  // CHECK-MESSAGES: :148:15: note: child process 'pid' starts here{{.*}}
  // CHECK-MESSAGES: :146:7: note: pipe created here
  // CHECK-MESSAGES: :168:9: note: 'out[0]' is read only here, after the wait
  // CHECK-MESSAGES: :156:7: note: taking the false branch
  got = drain(out[0]);
  close(out[0]);
  return exitedOk(status) ? got : -1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  const char *last = "200000"; // about 1.3 MB of output
  long got;
  if (std::strcmp(s, "member") == 0)
    got = member(SeqRunner(last));
  else if (std::strcmp(s, "lambda") == 0)
    got = lambda(last, false);
  else if (std::strcmp(s, "lambda-read-first") == 0)
    got = lambda(last, true);
  else if (std::strcmp(s, "member-pid") == 0) {
    ExecSock sock;
    if (sock.execute("seq 1 200000") < 0)
      return 1;
    got = sock.finish();
  }
  else {
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
    return 2;
  }
  return got > 65536 ? 0 : 1;
}

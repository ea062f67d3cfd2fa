// The process and thread wrappers in C++: functions in a namespace
// (`proc::fork_child()`, `proc::wait_for(pid)`), a static member function
// (`Threads::start(&t, fn, arg)`), and wrappers called from a lambda and a
// member function. Seen two ways, with the same findings: their bodies in
// this file (recognised as thin wrappers), or only their declarations
// (-DWRAPPERS_ELSEWHERE) with the options naming them by their qualified
// names.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end,pipe-wait-before-drain,pipe-leaked-writer %t -- -- -I%S
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end,pipe-wait-before-drain,pipe-leaked-writer %t -- -config="{CheckOptions: [{key: ForkFunctions, value: 'proc::fork_child'}, {key: WaitFunctions, value: 'proc::wait_for'}, {key: ThreadStartFunctions, value: 'Threads::start'}]}" -- -I%S -DWRAPPERS_ELSEWHERE
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end,pipe-wait-before-drain,pipe-leaked-writer' %s -- -std=c++17 -I%S -DWRAPPERS_ELSEWHERE 2>&1 | FileCheck --allow-empty --check-prefix=UNSEEN %s
// UNSEEN-NOT: warning:
// (one leak is seen without the wrappers: see lambda_output)
//
// RUN: %run_example %s lambda-output hang
// RUN: %run_example %s lambda-output-ok exit
// RUN: %run_example %s snapshot hang
// RUN: %run_example %s snapshot-ok exit
// RUN: %run_example %s snapshot-drained exit
// RUN: %run_example %s member-reader hang
// RUN: %run_example %s member-reader-ok exit

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../Inputs/io-helpers.h"

// ---- the program's own process and thread functions -----------------------

namespace proc {
#ifdef WRAPPERS_ELSEWHERE
pid_t fork_child();
int wait_for(pid_t pid);
#else
// fork() with the child's SIGPIPE back to the default.
pid_t fork_child()
{
  pid_t pid = fork();
  if (pid == 0)
    std::signal(SIGPIPE, SIG_DFL);
  return pid;
}

// Waits for a child; its exit status, or -1.
int wait_for(pid_t pid)
{
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
#endif
} // namespace proc

struct Threads {
#ifdef WRAPPERS_ELSEWHERE
  static int start(pthread_t *t, void *(*fn)(void *), void *arg);
#else
  // pthread_create() with default attributes; 0 or an error number.
  static int start(pthread_t *t, void *(*fn)(void *), void *arg)
  {
    return pthread_create(t, nullptr, fn, arg);
  }
#endif
};

static char *const printer[] = {(char *)"sh", (char *)"-c", (char *)"echo hello", nullptr};

// ---- a lambda forks through the wrapper and keeps the write end -----------

long lambda_output(bool close_it)
{
  auto run = [close_it](char *const argv[]) -> long {
    int fds[2];
    char buf[256];
    long n, total = 0;
    if (pipe(fds) < 0)
      return -1;
    if (proc::fork_child() == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execvp(argv[0], argv);
      _exit(127);
    }
    if (close_it)
      close(fds[1]);
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      total += n;
    close(fds[0]);
    return total;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when this lambda returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-16]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:12: note: the loop condition is false: leaving the loop
    // Without the wrapper's body the fork is not seen, but the read to
    // end-of-file on this path is, with the write end open: it never ends.
    // UNSEEN: wrappers.cpp:[[@LINE-6]]:5: warning: write end 'fds[1]' of the pipe is still open when this lambda returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // UNSEEN-NOT: warning:
  };
  return run(printer);
}

// ---- the wait wrapper before the child's output is read: hang -------------

static std::vector<char> pages(1024 * 1024, 'x');

// A forked child sends a header line and, unless header_only, 1 MiB.
long fetch_snapshot(bool header_only)
{
  int p[2];
  char buf[8192];
  long total = 0;
  ssize_t n;

  if (pipe(p) < 0)
    return -1;
  pid_t pid = proc::fork_child();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    if (write_all(p[1], "snapshot\n", 9) < 0)
      _exit(1);
    if (!header_only && write_all(p[1], pages.data(), 1024 * 1024) < 0)
      _exit(1);
    _exit(0);
  }
  close(p[1]);
  if (proc::wait_for(pid) != 0) {
    // pipe-leaked-writer reports the same wait for the same child and pipe:
    // one warning, with its fix (close the read end first) as a note.
    // CHECK-MESSAGES: :[[@LINE-3]]:7: warning: wait_for() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-19]]:15: note: child process 'pid' starts here; it writes up to 1048585 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-22]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+6]]:15: note: 'p[0]' is read only here, after the wait
    // CHECK-MESSAGES: :[[@LINE-16]]:7: note: taking the false branch
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: if the rest of the output is not wanted, closing 'p[0]' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
    close(p[0]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  return total;
}

// The same, reading to end-of-file before the wait: near-miss.
long fetch_snapshot_drained(bool header_only)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  if ((pid = proc::fork_child()) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    if (write_all(p[1], "snapshot\n", 9) < 0)
      _exit(1);
    if (!header_only && write_all(p[1], pages.data(), 1024 * 1024) < 0)
      _exit(1);
    _exit(0);
  }
  close(p[1]);
  long total = drain(p[0]);
  close(p[0]);
  return proc::wait_for(pid) == 0 ? total : -1;
}

// ---- a member function starts a writer thread and returns early: leak -----

struct Job {
  int fd;
  char header;
  size_t bytes;
};

// Owns the job it is given.
static void *produce(void *arg)
{
  auto *job = static_cast<Job *>(arg);
  write_filled(job->fd, job->header, 'p', job->bytes);
  close(job->fd);
  delete job;
  return nullptr;
}

class Reader {
public:
  // Reads the header byte a producer thread writes: 1 and the rest read
  // when it is 'H', 0 at once when it is not.
  int check(char sent)
  {
    int fds[2];
    pthread_t t;
    char header;

    if (pipe(fds) < 0)
      return -1;
    Job *job = new Job();
    job->fd = fds[1];
    job->header = sent;
    job->bytes = MIB;
    if (Threads::start(&t, produce, job) != 0) {
      delete job;
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    if (read_full(fds[0], &header, 1) != 1 || header != want_)
      return 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: thread 't' running 'produce' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-9]]:9: note: thread 't' running 'produce' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-16]]:9: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:9: note: taking the true branch
    drain(fds[0]);
    close(fds[0]);
    pthread_join(t, nullptr);
    return 1;
  }

private:
  char want_ = 'H';
};

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (s == "lambda-output")
    return lambda_output(false) != 6;
  if (s == "lambda-output-ok")
    return lambda_output(true) != 6;
  if (s == "snapshot")
    return fetch_snapshot(false) != 9 + MIB;
  if (s == "snapshot-ok")
    return fetch_snapshot(true) != 9;
  if (s == "snapshot-drained")
    return fetch_snapshot_drained(false) != 9 + MIB;
  if (s == "member-reader" || s == "member-reader-ok") {
    Reader r;
    if (r.check(s == "member-reader" ? 'X' : 'H') != (s == "member-reader" ? 0 : 1))
      return 1;
    pthread_exit(nullptr);
  }
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

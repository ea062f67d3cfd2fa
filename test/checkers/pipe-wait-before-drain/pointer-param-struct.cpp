// pipe-wait-before-drain, C++: the child's pid and the read end of its
// output pipe kept in an object the function was given by reference or by
// pointer (a free function, a member function, a lambda). The child writes
// more than the pipe holds (64 KiB), so the wait for it never returns.
// The near miss reads to end-of-file first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -I%S
// RUN: %run_example %s reference hang
// RUN: %run_example %s member hang
// RUN: %run_example %s lambda hang
// RUN: %run_example %s read-first exit

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static char chunk[1 << 17];

struct Job {
  pid_t pid = -1;
  int out = -1;
  int status = 0;
};

static bool start(Job &job)
{
  int p[2];
  if (pipe(p) < 0)
    return false;
  job.pid = fork();
  if (job.pid < 0) {
    close(p[0]);
    close(p[1]);
    return false;
  }
  if (job.pid == 0) {
    close(p[0]);
    write_all(p[1], chunk, sizeof chunk);
    _exit(0);
  }
  close(p[1]);
  job.out = p[0];
  return true;
}

long run_reference(Job &job)
{
  if (!start(job))
    return -1;
  waitpid(job.pid, &job.status, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'job.pid' before its output pipe 'job.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'job.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: child process 'job.pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:16: note: 'job.out' is read only here, after the wait
  long total = drain(job.out);
  close(job.out);
  return total;
}

class Runner {
public:
  long run(Job *job)
  {
    if (!start(*job))
      return -1;
    waitpid(job->pid, &job->status, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'job->pid' before its output pipe 'job->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'job->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: child process 'job->pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-5]]:10: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:18: note: 'job->out' is read only here, after the wait
    long total = drain(job->out);
    close(job->out);
    return total;
  }
};

long run_lambda(Job &job)
{
  auto go = [&](Job *j) -> long {
    if (!start(*j))
      return -1;
    waitpid(j->pid, &j->status, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'j->pid' before its output pipe 'j->out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: child process 'j->pid' starts here; it writes up to 131072 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-5]]:10: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+1]]:18: note: 'j->out' is read only here, after the wait
    long total = drain(j->out);
    close(j->out);
    return total;
  };
  return go(&job);
}

// Near miss: reads to end-of-file, then waits.
long run_read_first(Job &job)
{
  if (!start(job))
    return -1;
  long total = drain(job.out);
  close(job.out);
  waitpid(job.pid, &job.status, 0);
  return total;
}

int main(int argc, char **argv)
{
  std::string s = argc > 1 ? argv[1] : "";
  Job job;
  if (s == "reference")
    return run_reference(job) < 0;
  if (s == "member")
    return Runner().run(&job) < 0;
  if (s == "lambda")
    return run_lambda(job) < 0;
  if (s == "read-first")
    return run_read_first(job) != long(sizeof chunk);
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

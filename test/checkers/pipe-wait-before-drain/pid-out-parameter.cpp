// C++: the child's pid comes back through a reference parameter
// (`bool spawn_writer(int wr, int rd, pid_t &pid)`), called directly and
// from a member function that keeps the pid and the read end in members
// (`Job::start()`, then `Job::wait()` and `Job::output()`). The fork
// helper's parent returns first (`if (pid > 0) return pid;`); the child
// writes more than the pipe holds. Waiting before reading hangs; the near
// miss reads first and finishes.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-wait-before-drain %t
// RUN: %run_example %s reference hang
// RUN: %run_example %s member hang
// RUN: %run_example %s member-read-first exit

#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

static constexpr int kLines = 20000; // about 340 KB

static pid_t fork_writer(int wr, int rd)
{
  pid_t pid = fork();
  if (pid > 0)
    return pid;
  if (pid < 0)
    return -1;
  close(rd);
  for (int i = 0; i < kLines; i++)
    if (write(wr, "0123456789abcdef\n", 17) != 17)
      _exit(1);
  _exit(0);
}

static bool spawn_writer(int wr, int rd, pid_t &pid)
{
  pid_t child = fork_writer(wr, rd);
  if (child < 0)
    return false;
  pid = child;
  return true;
}

static std::string drain(int fd)
{
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  return out;
}

class Job {
public:
  bool start()
  {
    int p[2];
    if (pipe(p) != 0)
      return false;
    if (!spawn_writer(p[1], p[0], pid_)) {
      close(p[0]);
      close(p[1]);
      return false;
    }
    close(p[1]);
    fd_ = p[0];
    return true;
  }
  bool wait()
  {
    int st = 0;
    return waitpid(pid_, &st, 0) == pid_ && WIFEXITED(st) &&
           WEXITSTATUS(st) == 0;
  }
  std::string output()
  {
    std::string out = drain(fd_);
    close(fd_);
    fd_ = -1;
    return out;
  }

private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

static int by_reference()
{
  int p[2];
  pid_t pid = -1;
  if (pipe(p) != 0 || !spawn_writer(p[1], p[0], pid))
    return 1;
  close(p[1]);
  waitpid(pid, nullptr, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: child process 'pid' starts here; it writes up to 340000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:21: note: 'p[0]' is read only here, after the wait
  std::string out = drain(p[0]);
  close(p[0]);
  return out.empty();
}

static int member(bool read_first)
{
  Job job;
  if (!job.start())
    return 1;
  if (read_first) {
    std::string out = job.output();
    return job.wait() && out.size() == 17u * kLines ? 0 : 1;
  }
  if (!job.wait())
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: wait() waits for child process 'job.pid_' before its output pipe 'job.fd_' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'job.fd_' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-8]]:8: note: child process 'job.pid_' starts here; it writes up to 340000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-9]]:8: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+3]]:10: note: 'job.fd_' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the false branch
    return 1;
  return job.output().empty();
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!std::strcmp(s, "reference"))
    return by_reference();
  if (!std::strcmp(s, "member"))
    return member(false);
  if (!std::strcmp(s, "member-read-first"))
    return member(true);
  return 2;
}

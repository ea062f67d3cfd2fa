// Findings of pipe-wait-before-drain in C++ where the child's output pipe
// comes back from a helper in a std::tuple built in its return statement
// (`return std::make_tuple(fds[0], fds[1]);`), bound with a structured
// binding. The parent waits for the child before reading its output; the
// child writes more than the pipe holds. The finding's scenario hangs in
// waitpid(); the near-miss (the output read to the end first) terminates
// and stays silent.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s read-first exit

#include <cstdio>
#include <cstring>
#include <tuple>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

std::tuple<int, int> make_pipe_tuple()
{
  int fds[2];
  if (pipe(fds) < 0)
    return std::make_tuple(-1, -1);
  return std::make_tuple(fds[0], fds[1]);
}

ssize_t drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

ssize_t wait_first()
{
  auto [rd, wr] = make_pipe_tuple();
  if (rd < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 100000; ++i)
      dprintf(wr, "line %d\n", i);
    _exit(0);
  }
  close(wr);
  int st;
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'rd' is read to the end: {{.*}} [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-10]]:15: note: child process 'pid' starts here; it writes up to 3000000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-14]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:19: note: 'rd' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: taking the false branch
  ssize_t total = drain(rd);
  close(rd);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? total : -1;
}

ssize_t read_first()
{
  auto [rd, wr] = make_pipe_tuple();
  if (rd < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 100000; ++i)
      dprintf(wr, "line %d\n", i);
    _exit(0);
  }
  close(wr);
  ssize_t total = drain(rd);
  close(rd);
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? total : -1;
}

} // namespace

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (std::strcmp(s, "wait-first") == 0)
    return wait_first() <= 0;
  if (std::strcmp(s, "read-first") == 0)
    return read_first() <= 0;
  return 2;
}

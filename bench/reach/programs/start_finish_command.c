// reach: git-style start_command()/finish_command() with the pid and the
// output descriptor in a struct; the caller finishes the command (waits
// for it) before it reads the output, and the child writes more than a
// pipe holds.
// CROSSES: struct member (pid and end in a struct); function boundary (wait in a helper)
// EXPECT: pipe-wait-before-drain run_and_capture|finish_command capture hang
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct child_process {
  const char **argv;
  pid_t pid;
  int out;
};

static int start_command(struct child_process *cmd)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  cmd->pid = fork();
  if (cmd->pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (cmd->pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execvp(cmd->argv[0], (char *const *)cmd->argv);
    _exit(127);
  }
  close(fds[1]);
  cmd->out = fds[0];
  return 0;
}

static int finish_command(struct child_process *cmd)
{
  int status;
  if (waitpid(cmd->pid, &status, 0) < 0)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long run_and_capture(const char **argv, char *buf, size_t cap)
{
  struct child_process cmd = { .argv = argv };
  long total = 0;
  ssize_t n;

  if (start_command(&cmd) < 0)
    return -1;
  if (finish_command(&cmd) != 0) {     /* waits before reading */
    close(cmd.out);
    return -1;
  }
  while ((n = read(cmd.out, buf, cap)) > 0)
    total += n;
  close(cmd.out);
  return total;
}

int main(int argc, char **argv)
{
  static char buf[8192];
  const char *seq[] = { "seq", "1", "200000", NULL };
  if (argc > 1 && !strcmp(argv[1], "capture")) {
    printf("%ld\n", run_and_capture(seq, buf, sizeof buf));
    return 0;
  }
  return 2;
}

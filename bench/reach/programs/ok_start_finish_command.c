// reach (near-miss): start_command()/finish_command() with the pid in a
// struct; the caller drains the output first and then finishes the command,
// checking its exit status.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: capture exit
#include <stdio.h>
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
  if ((cmd->pid = fork()) < 0) {
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

static long run_and_capture(const char **argv)
{
  struct child_process cmd = { .argv = argv };
  char buf[8192];
  long total = 0;
  ssize_t n;

  if (start_command(&cmd) < 0)
    return -1;
  while ((n = read(cmd.out, buf, sizeof buf)) > 0)
    total += n;
  close(cmd.out);
  if (finish_command(&cmd) != 0)
    return -1;
  return total;
}

int main(int argc, char **argv)
{
  const char *seq[] = { "seq", "1", "200000", NULL };
  if (argc > 1 && !strcmp(argv[1], "capture"))
    return run_and_capture(seq) > 65536 ? 0 : 1;
  return 2;
}

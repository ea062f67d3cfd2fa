// reach: a status pipe kept in a struct, and a helper that starts a
// long-running program with posix_spawnp() without closing the status
// pipe's write end in it; the caller then waits for end-of-file on the
// status pipe, which the spawned program holds open. The fix is either
// O_CLOEXEC where status_pipe_open() makes the pipe or closing the end in
// the spawned program, so a report in any of the three functions is one.
// CROSSES: struct member (ends in a struct); function boundary (spawn in a helper)
// EXPECT: pipe-unclosed-write-end run_with_status|launch_sleeper|status_pipe_open status hang
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct status_pipe {
  int rd;
  int wr;
};

static int status_pipe_open(struct status_pipe *sp)
{
  int fds[2];
  if (pipe(fds))
    return -1;
  sp->rd = fds[0];
  sp->wr = fds[1];
  return 0;
}

static pid_t launch_sleeper(const char *secs)
{
  pid_t pid;
  char *argv[] = { "sleep", (char *)secs, NULL };
  if (posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ) != 0)
    return -1;
  return pid;
}

static int run_with_status(void)
{
  struct status_pipe sp;
  char msg[128];
  ssize_t n, len = 0;

  if (status_pipe_open(&sp))
    return -1;
  pid_t helper = launch_sleeper("30");   /* inherits sp.wr */
  dprintf(sp.wr, "started helper %d\n", (int)helper);
  close(sp.wr);
  while ((n = read(sp.rd, msg + len, sizeof msg - 1 - len)) > 0)
    len += n;
  close(sp.rd);
  kill(helper, 15);
  waitpid(helper, NULL, 0);
  return (int)len;
}

int main(int argc, char **argv)
{
  if (argc > 1 && !strcmp(argv[1], "status"))
    return run_with_status() > 0 ? 0 : 1;
  return 2;
}

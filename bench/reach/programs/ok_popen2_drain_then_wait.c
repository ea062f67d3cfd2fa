// reach (near-miss): popen2() hands the pid back through an out-parameter;
// the caller drains the output first, then reaps the child and checks its
// exit status.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: count exit
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int popen2(const char *cmdline, pid_t *pidp)
{
  int pfd[2];
  pid_t pid;
  if (pipe(pfd) < 0)
    return -1;
  if ((pid = fork()) == 0) {
    dup2(pfd[1], STDOUT_FILENO);
    close(pfd[0]);
    close(pfd[1]);
    execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
    _exit(127);
  }
  close(pfd[1]);
  if (pid < 0) {
    close(pfd[0]);
    return -1;
  }
  *pidp = pid;
  return pfd[0];
}

static int pclose2(pid_t pid)
{
  int st;
  if (waitpid(pid, &st, 0) < 0)
    return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long count_lines(const char *cmdline)
{
  pid_t pid;
  int fd = popen2(cmdline, &pid);
  if (fd < 0)
    return -1;
  FILE *in = fdopen(fd, "r");
  long lines = 0;
  int c;
  while ((c = getc(in)) != EOF)
    lines += c == '\n';
  fclose(in);
  return pclose2(pid) == 0 ? lines : -1;
}

int main(int argc, char **argv)
{
  if (argc > 1 && !strcmp(argv[1], "count"))
    return count_lines("seq 1 100000") == 100000 ? 0 : 1;
  return 2;
}

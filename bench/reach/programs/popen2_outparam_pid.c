// reach: popen2() returns the read end and hands the pid back through an
// out-parameter; count_lines() reaps the child (pclose2) before reading,
// and the child writes more than a pipe holds.
// CROSSES: out-parameter (pid); function boundary (wait in a helper)
// EXPECT: pipe-wait-before-drain count_lines|pclose2 count hang
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int popen2(const char *cmdline, pid_t *pidp)
{
  int pfd[2];
  pid_t pid;

  if (pipe(pfd) < 0)
    return -1;
  switch (pid = fork()) {
  case -1:
    close(pfd[0]);
    close(pfd[1]);
    return -1;
  case 0:
    dup2(pfd[1], STDOUT_FILENO);
    close(pfd[0]);
    close(pfd[1]);
    execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
    _exit(127);
  }
  close(pfd[1]);
  *pidp = pid;
  return pfd[0];
}

static int pclose2(pid_t pid)
{
  int st;
  while (waitpid(pid, &st, 0) < 0)
    ;
  return st;
}

static long count_lines(const char *cmdline)
{
  pid_t pid;
  int fd = popen2(cmdline, &pid);
  if (fd < 0)
    return -1;
  int st = pclose2(pid);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    close(fd);
    return -1;
  }
  FILE *in = fdopen(fd, "r");
  long lines = 0;
  int c;
  while ((c = getc(in)) != EOF)
    lines += c == '\n';
  fclose(in);
  return lines;
}

int main(int argc, char **argv)
{
  if (argc > 1 && !strcmp(argv[1], "count")) {
    printf("%ld\n", count_lines("seq 1 100000"));
    return 0;
  }
  return 2;
}

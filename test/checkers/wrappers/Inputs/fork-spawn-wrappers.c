/* The fork and spawn wrappers of fork-spawn.c, in a file of their own:
 * fork-spawn.c includes this file (the wrappers' bodies in the same
 * translation unit), or, with -DWRAPPERS_ELSEWHERE, sees only their
 * declarations; the project's facts of a first pass over both files then
 * tell it what they are. */
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

/* fork() that reports failure and gives the child default signals. */
pid_t xfork(void)
{
  pid_t pid = fork();

  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
  }
  return pid;
}

static void ignore_interrupts(void)
{
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
}

/* xfork(), and the child ignores ^C. */
pid_t xfork_quiet(void)
{
  pid_t pid;

  if ((pid = xfork()) == 0)
    ignore_interrupts();
  return pid;
}

/* Runs argv in a child process; returns its pid, or -1. */
pid_t start_cmd(char *const argv[])
{
  pid_t pid = fork();

  if (pid == 0) {
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

/* start_cmd(), saying so on stderr. */
pid_t start_cmd_logged(char *const argv[])
{
  fprintf(stderr, "running %s\n", argv[0]);
  return start_cmd(argv);
}

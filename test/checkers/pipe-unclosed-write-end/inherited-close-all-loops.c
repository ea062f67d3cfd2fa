// A child that closes every descriptor from 3 up before it starts a
// program does not pass the pipe's write end on, although the pipe lacks
// O_CLOEXEC: the loop over descriptor numbers closes it. The loop's forms
// here keep its bound in a second variable of the init (as rtorrent's
// ExecFile::execute() does): `i != last` with last = sysconf(), `fd < max`,
// and a loop down to a `lo` of the init. A logger child reads the pipe to
// end-of-file while a second child starts a daemon (`sleep 30` in the
// background): a write end the daemon inherited would keep the logger
// waiting for 30 s after the parent closed its own. pipe-unclosed-write-end
// reports nothing, and each scenario finishes. Without the loop (suffix NOLOOP, the same file with
// -DNO_CLOSE_LOOP) the inherited end is reported.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffix=NOLOOP %s pipe-unclosed-write-end %t -- -- -DNO_CLOSE_LOOP
// RUN: %run_example %s not-equal exit
// RUN: %run_example %s less-than exit
// RUN: %run_example %s downwards exit
// RUN: %run_example %s not-equal hang -- -DNO_CLOSE_LOOP

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const daemonish[] = {
    "sh", "-c", "sleep 30 >/dev/null 2>&1 </dev/null &", NULL};

static ssize_t drain(int fd)
{
  char buf[4096];
  ssize_t n, total = 0;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* Logs through a pipe that a logger child reads to end-of-file, while a
 * second child starts the daemon; that child closes every descriptor from
 * 3 up first, in the loop form 'how' names. Returns the logger's status. */
static int launch(int how)
{
  int fds[2];
  int status = -1;
  pid_t logger, daemon;

  if (pipe(fds) < 0)
    return -1;
  logger = fork();
  if (logger < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (logger == 0) {
    close(fds[1]);
    _exit(drain(fds[0]) > 0 ? 0 : 1);
  }
  close(fds[0]);
  daemon = fork();
  if (daemon == 0) {
#ifndef NO_CLOSE_LOOP
    if (how == 0) {
      for (int i = 3, last = sysconf(_SC_OPEN_MAX); i != last; i++)
        close(i);
    } else if (how == 1) {
      for (long fd = 3, max = sysconf(_SC_OPEN_MAX); fd < max; ++fd)
        close((int)fd);
    } else {
      for (int i = getdtablesize() - 1, lo = 3; i >= lo; i--)
        close(i);
    }
#endif
    execvp(daemonish[0], (char *const *)daemonish);
    // CHECK-MESSAGES-NOLOOP: :[[@LINE-1]]:5: warning: write end 'fds[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES-NOLOOP: :[[@LINE-29]]:7: note: pipe created here
    // CHECK-MESSAGES-NOLOOP: :[[@LINE-16]]:7: note: taking the true branch
    _exit(127);
  }
  dprintf(fds[1], "daemon %d started\n", (int)daemon);
  close(fds[1]);
  if (daemon > 0)
    waitpid(daemon, NULL, 0);
  if (waitpid(logger, &status, 0) < 0)
    return -1;
  return status;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "not-equal") == 0)
    return launch(0) != 0;
  if (strcmp(s, "less-than") == 0)
    return launch(1) != 0;
  if (strcmp(s, "downwards") == 0)
    return launch(2) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// reach: a process supervisor starts services and wants to know whether
// execvp() worked before it marks a service "running". spawn_service()
// gets an exec-report pipe from open_report_pipe() (two out-parameters):
// the child writes its errno there when execvp() fails, and the parent
// reads the pipe to end-of-file, taking zero bytes as "exec succeeded".
// That only works when the write end is close-on-exec, and
// open_report_pipe() gets the pipe from xpipe(), a plain pipe() with error
// logging: a service that execs successfully keeps the write end for its
// whole life, and supervisor_start() hangs until the service exits
// (forever, for a daemon).
// CROSSES: out-parameter (the pipe and its missing close-on-exec flag come from helpers two calls down: open_report_pipe -> xpipe); call chain (spawn_service -> read_exec_report reads to end-of-file)
// EXPECT: pipe-unclosed-write-end spawn_service|open_report_pipe|xpipe daemon hang
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct service {
  const char *name;
  char *const *argv;
  pid_t pid;
  int state;      /* 0 stopped, 1 running, -1 failed */
};

static int xpipe(int fds[2], const char *what)
{
  if (pipe(fds) < 0) {
    fprintf(stderr, "supervisor: %s pipe: %s\n", what, strerror(errno));
    return -1;
  }
  return 0;
}

/* The report pipe: the child writes errno to *wr if exec fails. */
static int open_report_pipe(int *rd, int *wr)
{
  int p[2];
  if (xpipe(p, "exec report") < 0)
    return -1;
  *rd = p[0];
  *wr = p[1];
  return 0;
}

/* Returns 0 when the child exec'd, else the errno it reported. */
static int read_exec_report(int rd)
{
  int err = 0;
  ssize_t n;
  do
    n = read(rd, &err, sizeof err);
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof err ? err : 0;
}

static pid_t spawn_service(char *const argv[], int *exec_errno)
{
  int rd, wr;
  if (open_report_pipe(&rd, &wr) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(rd);
    close(wr);
    return -1;
  }
  if (pid == 0) {
    close(rd);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      close(null);
    }
    execvp(argv[0], argv);
    int err = errno;
    (void)!write(wr, &err, sizeof err);
    _exit(127);
  }
  close(wr);
  *exec_errno = read_exec_report(rd);
  close(rd);
  return pid;
}

static int supervisor_start(struct service *svc)
{
  int err = 0;
  pid_t pid = spawn_service(svc->argv, &err);
  if (pid < 0) {
    fprintf(stderr, "%s: fork: %s\n", svc->name, strerror(errno));
    svc->state = -1;
    return -1;
  }
  if (err) {
    fprintf(stderr, "%s: exec %s: %s\n", svc->name, svc->argv[0], strerror(err));
    waitpid(pid, NULL, 0);
    svc->state = -1;
    return -1;
  }
  svc->pid = pid;
  svc->state = 1;
  printf("%s: running as pid %d\n", svc->name, (int)pid);
  return 0;
}

static void supervisor_stop(struct service *svc)
{
  if (svc->state != 1)
    return;
  kill(svc->pid, SIGTERM);
  waitpid(svc->pid, NULL, 0);
  svc->state = 0;
}

int main(int argc, char **argv)
{
  static char *const daemon_argv[] = { "sleep", "30", NULL };
  static char *const missing_argv[] = { "no-such-service-binary", NULL };
  struct service svc = { .name = "metrics-agent" };

  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "daemon"))
    svc.argv = daemon_argv;
  else if (!strcmp(argv[1], "missing"))
    svc.argv = missing_argv;
  else
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  int rc = supervisor_start(&svc);
  supervisor_stop(&svc);
  if (!strcmp(argv[1], "missing"))
    return rc < 0 ? 0 : 1;
  return rc == 0 ? 0 : 1;
}

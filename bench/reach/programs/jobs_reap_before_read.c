// reach: a build-step runner keeps its jobs in an array of structs; each
// job is started by job_spawn() -> spawn_redirected() (fork + exec of
// /bin/sh with the pipe dup2'd onto stdout). collect_jobs() reaps every job
// first, to report the statuses in order, and only then reads the outputs:
// a job that prints more than a pipe holds never exits, and the reap waits
// forever.
// CROSSES: struct member (pid and read end filled in by job_spawn, waited then drained in collect_jobs, which only gets the struct pointer); array of structs; fork two calls deep
// EXPECT: pipe-wait-before-drain collect_jobs|reap_job many hang
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 8

struct job {
  const char *name;
  const char *cmdline;
  pid_t pid;
  int out_fd;
  int status;
  size_t out_len;
};

static void log_msg(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("runner: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static pid_t spawn_redirected(const char *cmdline, int out_wr, int out_rd)
{
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    if (dup2(out_wr, STDOUT_FILENO) < 0)
      _exit(126);
    close(out_wr);
    close(out_rd);
    execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int job_spawn(struct job *j)
{
  int p[2];
  if (pipe(p) < 0) {
    log_msg("%s: pipe: %s", j->name, strerror(errno));
    return -1;
  }
  j->pid = spawn_redirected(j->cmdline, p[1], p[0]);
  close(p[1]);
  if (j->pid < 0) {
    log_msg("%s: fork: %s", j->name, strerror(errno));
    close(p[0]);
    return -1;
  }
  j->out_fd = p[0];
  return 0;
}

static int reap_job(struct job *j)
{
  while (waitpid(j->pid, &j->status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return 0;
}

static size_t drain_fd(int fd)
{
  char buf[4096];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += (size_t)n;
  return total;
}

static int collect_jobs(struct job *jobs, int n)
{
  int failed = 0;
  for (int i = 0; i < n; i++) {
    if (reap_job(&jobs[i]) < 0 || !WIFEXITED(jobs[i].status) ||
        WEXITSTATUS(jobs[i].status) != 0) {
      log_msg("%s: failed", jobs[i].name);
      failed++;
    }
  }
  for (int i = 0; i < n; i++) {
    jobs[i].out_len = drain_fd(jobs[i].out_fd);
    close(jobs[i].out_fd);
  }
  return failed;
}

static int run_jobs(struct job *jobs, int n)
{
  int started = 0;
  for (int i = 0; i < n && i < MAX_JOBS; i++) {
    if (job_spawn(&jobs[i]) < 0)
      break;
    started++;
  }
  return collect_jobs(jobs, started);
}

int main(int argc, char **argv)
{
  struct job jobs[] = {
    { .name = "version", .cmdline = "echo 1.2.3" },
    { .name = "manifest", .cmdline = "seq 1 50000" },   /* ~290 KB */
  };
  if (argc < 2 || strcmp(argv[1], "many"))
    return 2;
  int failed = run_jobs(jobs, 2);
  printf("%d failed, manifest %zu bytes\n", failed, jobs[1].out_len);
  return failed ? 1 : 0;
}

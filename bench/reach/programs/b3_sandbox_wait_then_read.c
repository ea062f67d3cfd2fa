// reach: an inventory exporter runs the dump in a forked sandbox so that a
// crash in a plugin cannot take the daemon down. sandbox_start() ->
// start_piped_job() -> fork_job() forks a child that runs a job callback
// with the pipe's write end; the pid and the read end come back through
// out-parameters. export_inventory() first asks sandbox_wait() (given the
// struct) whether the job succeeded and only then reads its output: an
// inventory larger than the pipe holds blocks the child in write(), and
// the wait never returns.
// CROSSES: out-parameter (pid and read end from a fork helper three calls down); function pointer (the child runs a callback); struct pointer (wait helper gets the pid in the struct)
// EXPECT: pipe-wait-before-drain export_inventory|sandbox_wait large hang
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*job_fn)(int out, void *arg);

struct sandbox {
  const char *name;
  pid_t pid;
  int out;
};

struct inventory {
  int hosts;
  int pkgs_per_host;
};

static pid_t fork_job(job_fn fn, void *arg, int wr, int rd)
{
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  close(rd);
  _exit(fn(wr, arg) == 0 ? 0 : 1);
}

static int start_piped_job(job_fn fn, void *arg, int *out_fd, pid_t *pid_out)
{
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork_job(fn, arg, p[1], p[0]);
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    return -1;
  }
  *out_fd = p[0];
  *pid_out = pid;
  return 0;
}

static int sandbox_start(struct sandbox *sb, job_fn fn, void *arg)
{
  if (start_piped_job(fn, arg, &sb->out, &sb->pid) < 0) {
    fprintf(stderr, "%s: cannot start: %s\n", sb->name, strerror(errno));
    return -1;
  }
  return 0;
}

static int sandbox_wait(const struct sandbox *sb)
{
  int st;
  while (waitpid(sb->pid, &st, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "%s: job failed (status %#x)\n", sb->name, st);
    return -1;
  }
  return 0;
}

static int dump_inventory(int out, void *arg)
{
  const struct inventory *inv = arg;
  for (int h = 0; h < inv->hosts; h++)
    for (int p = 0; p < inv->pkgs_per_host; p++)
      if (dprintf(out, "host%03d\tpkg-%05d\t1.%d.%d\n", h, p, h % 7, p % 13) < 0)
        return -1;
  return 0;
}

static ssize_t export_inventory(struct inventory *inv, char **text)
{
  struct sandbox sb = { .name = "inventory" };
  size_t cap = 1 << 16, len = 0;
  ssize_t n;
  char *buf;

  if (sandbox_start(&sb, dump_inventory, inv) < 0)
    return -1;
  if (sandbox_wait(&sb) < 0) {
    close(sb.out);
    return -1;
  }
  if (!(buf = malloc(cap))) {
    close(sb.out);
    return -1;
  }
  while ((n = read(sb.out, buf + len, cap - len)) > 0) {
    len += (size_t)n;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger)
        break;
      buf = bigger;
    }
  }
  close(sb.out);
  *text = buf;
  return (ssize_t)len;
}

int main(int argc, char **argv)
{
  struct inventory inv = { 4, 10 };
  char *text = NULL;
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "large"))
    inv.hosts = 200, inv.pkgs_per_host = 500;   /* ~3 MB */
  else if (strcmp(argv[1], "small"))
    return 2;
  ssize_t n = export_inventory(&inv, &text);
  printf("%zd bytes\n", n);
  free(text);
  return n > 0 ? 0 : 1;
}

// reach: proc_spawn() opens a stdout pipe and a stderr pipe through
// open_pipe_pair() into members of a struct, then resolves the program on
// PATH; when that fails it jumps to the label that closes only the stdout
// pipe (fail_out instead of fail_err), so every failed spawn leaks both ends
// of the stderr pipe. A supervisor retrying a missing tool runs out of
// descriptors. The scenario counts open descriptors around three failed
// spawns and exits 0 when exactly six leaked.
// CROSSES: struct member (ends in nested struct members p->err.rd/p->err.wr, filled by a wrapper); goto cleanup labels
// EXPECT: pipe-unclosed-write-end proc_spawn missing-tool leak
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct pipe_pair {
  int rd;
  int wr;
};

struct proc {
  pid_t pid;
  struct pipe_pair out;
  struct pipe_pair err;
};

static int open_pipe_pair(struct pipe_pair *pp)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  pp->rd = fds[0];
  pp->wr = fds[1];
  return 0;
}

static int resolve_exe(const char *name, char *path, size_t size)
{
  const char *dirs[] = { "/usr/local/bin", "/usr/bin", "/bin" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    snprintf(path, size, "%s/%s", dirs[i], name);
    if (access(path, X_OK) == 0)
      return 0;
  }
  errno = ENOENT;
  return -1;
}

static int proc_spawn(struct proc *p, char *const argv[])
{
  char path[PATH_MAX];

  if (open_pipe_pair(&p->out) < 0)
    goto fail;
  if (open_pipe_pair(&p->err) < 0)
    goto fail_out;
  if (resolve_exe(argv[0], path, sizeof path) < 0) {
    fprintf(stderr, "proc_spawn: %s: %s\n", argv[0], strerror(errno));
    goto fail_out;
  }
  p->pid = fork();
  if (p->pid < 0)
    goto fail_err;
  if (p->pid == 0) {
    dup2(p->out.wr, STDOUT_FILENO);
    dup2(p->err.wr, STDERR_FILENO);
    execv(path, argv);
    _exit(127);
  }
  close(p->out.wr);
  close(p->err.wr);
  return 0;

fail_err:
  close(p->err.rd);
  close(p->err.wr);
fail_out:
  close(p->out.rd);
  close(p->out.wr);
fail:
  return -1;
}

/* Drains both pipes until both reach end-of-file; returns the exit status. */
static int proc_wait(struct proc *p, size_t *out_bytes, size_t *err_bytes)
{
  struct pollfd pfd[2] = { { p->out.rd, POLLIN, 0 }, { p->err.rd, POLLIN, 0 } };
  size_t *count[2] = { out_bytes, err_bytes };
  char buf[4096];
  int open_fds = 2, status;

  *out_bytes = *err_bytes = 0;
  while (open_fds > 0 && poll(pfd, 2, -1) > 0) {
    for (int i = 0; i < 2; i++) {
      if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
        continue;
      ssize_t n = read(pfd[i].fd, buf, sizeof buf);
      if (n > 0) {
        *count[i] += (size_t)n;
      } else {
        close(pfd[i].fd);
        pfd[i].fd = -1;
        open_fds--;
      }
    }
  }
  if (waitpid(p->pid, &status, 0) < 0)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count_fds(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

int main(int argc, char **argv)
{
  char *tool[] = { "no-such-indexer-tool", "--rebuild", NULL };
  char *ok[] = { "echo", "ready", NULL };
  struct proc p;
  size_t out, err;

  if (argc < 2 || strcmp(argv[1], "missing-tool"))
    return 2;
  if (proc_spawn(&p, ok) < 0 || proc_wait(&p, &out, &err) != 0)
    return 1;
  int before = count_fds();
  for (int attempt = 0; attempt < 3; attempt++)
    if (proc_spawn(&p, tool) == 0)
      return 1;
  int after = count_fds();
  printf("descriptors %d -> %d after 3 failed spawns\n", before, after);
  return after - before == 6 ? 0 : 1;
}

// reach (near-miss): spawn_tool() runs a long-lived tool with its stdout
// dup2'd onto a capture pipe, and reports exec failures through a second
// pipe made by make_pipe_cloexec() into a struct: the exec closes that pipe's
// write end in the child, the parent closes its copies in
// close_child_ends() (two calls down), so the read of the report pipe ends
// as soon as exec succeeds, even though the tool keeps running.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-wait-before-drain
// PROOF: launch exit
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fdpair {
  int rd, wr;
};

struct spawn {
  pid_t pid;
  struct fdpair out;     /* tool's stdout */
  struct fdpair report;  /* errno of a failed exec */
};

static int make_pipe_cloexec(struct fdpair *fp)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  fp->rd = fds[0];
  fp->wr = fds[1];
  return 0;
}

static void close_pair_end(int *fd)
{
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

static void close_child_ends(struct spawn *sp)
{
  close_pair_end(&sp->out.wr);
  close_pair_end(&sp->report.wr);
}

static int spawn_tool(struct spawn *sp, char *const argv[])
{
  int err = 0;
  if (make_pipe_cloexec(&sp->out) < 0)
    return -1;
  if (make_pipe_cloexec(&sp->report) < 0) {
    close(sp->out.rd);
    close(sp->out.wr);
    return -1;
  }
  sp->pid = fork();
  if (sp->pid == 0) {
    dup2(sp->out.wr, STDOUT_FILENO);   /* dup2 clears FD_CLOEXEC on fd 1 */
    execvp(argv[0], argv);
    err = errno;
    write(sp->report.wr, &err, sizeof err);
    _exit(127);
  }
  close_child_ends(sp);
  if (sp->pid < 0) {
    close(sp->out.rd);
    close(sp->report.rd);
    return -1;
  }
  ssize_t n = read(sp->report.rd, &err, sizeof err);
  close(sp->report.rd);
  if (n == sizeof err) {
    fprintf(stderr, "spawn_tool: %s: %s\n", argv[0], strerror(err));
    close(sp->out.rd);
    waitpid(sp->pid, NULL, 0);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv)
{
  /* Prints a line, then stays up like a server would. */
  char *tool[] = { "sh", "-c", "echo listening; exec sleep 30", NULL };
  struct spawn sp;
  char line[64];
  int status;

  if (argc < 2 || strcmp(argv[1], "launch"))
    return 2;
  if (spawn_tool(&sp, tool) < 0)
    return 1;
  ssize_t n = read(sp.out.rd, line, sizeof line - 1);
  line[n > 0 ? n : 0] = '\0';
  printf("tool says: %s", line);
  kill(sp.pid, SIGTERM);
  close(sp.out.rd);
  if (waitpid(sp.pid, &status, 0) < 0 || !WIFSIGNALED(status))
    return 1;
  return strcmp(line, "listening\n") == 0 ? 0 : 1;
}

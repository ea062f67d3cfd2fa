/* Runs a shell command and returns its standard output: the version most
 * programs start with. It works in every test with a short output, and
 * hangs on the first command that prints more than a pipe holds (64 KiB on
 * Linux), because it waits for the child before reading what the child
 * writes. It also throws the command's exit status away, so a command that
 * fails half-way looks like one that succeeded.
 *
 *   clang-tidy --load=<plugin> -checks='-*,pipe-*' examples/run_command.c --
 *
 * reports pipe-wait-before-drain at the waitpid() in run_command() and
 * pipe-writer-error-ignored at the waitpid() in run_command_unchecked().
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads fd to end-of-file; keeps the first cap bytes. */
static size_t read_all(int fd, char *buf, size_t cap)
{
  char chunk[4096];
  size_t used = 0;
  ssize_t n;

  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    size_t keep = (size_t)n < cap - used ? (size_t)n : cap - used;
    memcpy(buf + used, chunk, keep);
    used += keep;
  }
  return used;
}

/* Waits for the child first: the child blocks on the full pipe. */
long run_command(const char *cmd, char *out, size_t cap)
{
  int p[2], status;
  pid_t pid;
  size_t len;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    close(p[0]);
    return -1;
  }
  len = read_all(p[0], out, cap);
  close(p[0]);
  return (long)len;
}

/* Reads first, as it should, but never looks at how the command ended. */
long run_command_unchecked(const char *cmd, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  size_t len;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  len = read_all(p[0], out, cap);
  close(p[0]);
  waitpid(pid, NULL, 0);
  return (long)len;
}

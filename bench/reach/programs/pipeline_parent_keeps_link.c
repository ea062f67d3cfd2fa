// reach: run_pipeline() starts "a | b | ..." one stage at a time through
// spawn_stage() (fork, dup2 onto stdin/stdout, execvp), keeping each
// stage's descriptors in an array of structs. After starting a stage the
// parent closes the stage's input but never the write end of the link pipe
// it made for the stage's output: the next stage (and the parent itself)
// hold it, so the last stage never sees end-of-file and the parent's read
// of the captured output never ends.
// CROSSES: function boundary (the link's write end is only passed to a fork+dup2+exec helper, never closed in the parent); struct member (ends in an array of structs)
// EXPECT: pipe-unclosed-write-end run_pipeline count hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STAGES 4

struct stage {
  char *const *argv;
  int in_fd;
  int out_fd;
  pid_t pid;
};

static pid_t spawn_stage(struct stage *st, int close_in_child)
{
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  if (st->in_fd != STDIN_FILENO) {
    dup2(st->in_fd, STDIN_FILENO);
    close(st->in_fd);
  }
  dup2(st->out_fd, STDOUT_FILENO);
  close(st->out_fd);
  if (close_in_child >= 0)
    close(close_in_child);
  execvp(st->argv[0], st->argv);
  fprintf(stderr, "%s: %s\n", st->argv[0], strerror(errno));
  _exit(127);
}

static ssize_t run_pipeline(char *const *argvs[], int n, char *out, size_t cap)
{
  struct stage st[MAX_STAGES];
  int cap_pipe[2];
  int in_fd = STDIN_FILENO;
  ssize_t len = 0, r;

  if (n < 1 || n > MAX_STAGES || pipe(cap_pipe) < 0)
    return -1;
  for (int i = 0; i < n; i++) {
    int link[2] = { -1, -1 };
    st[i].argv = argvs[i];
    st[i].in_fd = in_fd;
    if (i == n - 1) {
      st[i].out_fd = cap_pipe[1];
    } else {
      if (pipe(link) < 0)
        return -1;
      st[i].out_fd = link[1];
    }
    st[i].pid = spawn_stage(&st[i], i == n - 1 ? cap_pipe[0] : link[0]);
    if (in_fd != STDIN_FILENO)
      close(in_fd);
    in_fd = link[0];
  }
  close(cap_pipe[1]);
  while (len < (ssize_t)cap && (r = read(cap_pipe[0], out + len, cap - (size_t)len)) > 0)
    len += r;
  close(cap_pipe[0]);
  for (int i = 0; i < n; i++) {
    int status;
    if (waitpid(st[i].pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      len = -1;
  }
  return len;
}

int main(int argc, char **argv)
{
  char *producer[] = { "printf", "alpha\\nbeta\\ngamma\\n", NULL };
  char *counter[] = { "wc", "-l", NULL };
  char *const *stages[] = { producer, counter };
  char out[256];

  if (argc < 2 || strcmp(argv[1], "count"))
    return 2;
  ssize_t n = run_pipeline(stages, 2, out, sizeof out - 1);
  if (n < 0)
    return 1;
  out[n] = '\0';
  printf("lines: %s", out);
  return atoi(out) == 3 ? 0 : 1;
}

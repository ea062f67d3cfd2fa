// reach: capture() reads a child's output to end-of-file, then reap()s it
// with waitpid(pid, NULL, 0) in a helper: a child that dies half-way looks
// like one that finished, and truncated output is returned as complete.
// The scenario exits 0 when it sees exactly that (a failed child, a
// "successful" capture).
// CROSSES: function boundary (fork and wait in helpers); struct member (pid in a struct)
// EXPECT: pipe-writer-error-ignored capture|reap truncated exit
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
  pid_t pid;
  int out;
};

static int job_start(struct job *j, void (*body)(int))
{
  int p[2];
  if (pipe(p))
    return -1;
  j->pid = fork();
  if (j->pid == 0) {
    close(p[0]);
    body(p[1]);
    _exit(0);
  }
  close(p[1]);
  j->out = p[0];
  return 0;
}

static void reap(struct job *j)
{
  waitpid(j->pid, NULL, 0);
}

static void export_rows(int fd)
{
  for (int i = 0; i < 100; i++) {
    if (i == 40) {
      /* the database went away */
      _exit(3);
    }
    dprintf(fd, "row %d\n", i);
  }
}

static int capture(char *buf, size_t cap, size_t *len)
{
  struct job j;
  ssize_t n;
  *len = 0;
  if (job_start(&j, export_rows))
    return -1;
  while ((n = read(j.out, buf + *len, cap - *len)) > 0)
    *len += (size_t)n;
  close(j.out);
  reap(&j);
  return 0;
}

int main(int argc, char **argv)
{
  static char buf[65536];
  size_t len;
  if (argc < 2 || strcmp(argv[1], "truncated"))
    return 2;
  int rc = capture(buf, sizeof buf, &len);
  int rows = 0;
  for (size_t i = 0; i < len; i++)
    rows += buf[i] == '\n';
  printf("capture returned %d with %d of 100 rows\n", rc, rows);
  return rc == 0 && rows < 100 ? 0 : 1;
}

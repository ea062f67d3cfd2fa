// reach: spawn_filter() gets its pipe from a wrapper, forks the filter,
// returns the read end, and leaves the write end open in the parent; the
// caller reads the filter's output to end-of-file.
// CROSSES: function boundary (pipe created in a wrapper)
// EXPECT: pipe-unclosed-write-end spawn_filter upper hang
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int xpipe(int p[2])
{
  if (pipe(p) < 0) {
    perror("pipe");
    exit(1);
  }
  return 0;
}

static int spawn_filter(const char *text, pid_t *pid_out)
{
  int p[2];
  xpipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    for (const char *s = text; *s; s++) {
      char c = (*s >= 'a' && *s <= 'z') ? *s - 32 : *s;
      write(p[1], &c, 1);
    }
    _exit(0);
  }
  *pid_out = pid;
  return p[0];             /* p[1] stays open in the parent */
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "upper"))
    return 2;
  pid_t pid;
  int fd = spawn_filter("hello, world\n", &pid);
  char buf[64];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    fwrite(buf, 1, (size_t)n, stdout);
  close(fd);
  waitpid(pid, NULL, 0);
  return 0;
}

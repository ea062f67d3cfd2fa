// reach: spawn_lister() fills a struct with both ends of the pipe and the
// pid, and forgets to close the write end in the parent; the caller then
// reads the listing to end-of-file.
// CROSSES: struct member (ends stored in a member of a parameter)
// EXPECT: pipe-unclosed-write-end spawn_lister listing hang
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct lister {
  pid_t pid;
  int out_rd;
  int out_wr;
};

static int spawn_lister(struct lister *ls, const char *dir)
{
  int p[2];
  if (pipe(p) == -1)
    return -1;
  ls->out_rd = p[0];
  ls->out_wr = p[1];
  ls->pid = fork();
  if (ls->pid < 0)
    return -1;
  if (ls->pid == 0) {
    dup2(ls->out_wr, STDOUT_FILENO);
    close(ls->out_rd);
    close(ls->out_wr);
    execlp("ls", "ls", "-1", dir, (char *)NULL);
    _exit(127);
  }
  /* parent: ls->out_wr is still open here */
  return 0;
}

static int count_entries(const char *dir)
{
  struct lister ls;
  char c;
  int lines = 0;

  if (spawn_lister(&ls, dir) < 0)
    return -1;
  while (read(ls.out_rd, &c, 1) == 1)
    if (c == '\n')
      lines++;
  close(ls.out_rd);
  waitpid(ls.pid, NULL, 0);
  return lines;
}

int main(int argc, char **argv)
{
  if (argc > 1 && !strcmp(argv[1], "listing")) {
    printf("%d entries\n", count_entries("/"));
    return 0;
  }
  return 2;
}

// reach: a worker pool: add_worker() forks a child that writes a large
// report into a pipe and records the child in a table; the reader gives up
// on a bad header and returns without closing the read end, and the
// shutdown waits for every child, one of which is blocked on the full pipe.
// CROSSES: struct member (pid and read end in a global table); function boundary (fork and wait in helpers)
// EXPECT: pipe-leaked-writer read_report early hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct worker {
  pid_t pid;
  int rd;
};

static struct worker pool[4];
static int npool;

static struct worker *add_worker(size_t report_size)
{
  int p[2];
  if (pipe(p) < 0)
    return NULL;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    char line[100];
    memset(line, '#', sizeof line);
    for (size_t done = 0; done < report_size; done += sizeof line)
      write(p[1], line, sizeof line);
    _exit(0);
  }
  close(p[1]);
  pool[npool].pid = pid;
  pool[npool].rd = p[0];
  return &pool[npool++];
}

static void shutdown_pool(void)
{
  while (wait(NULL) > 0 || errno == EINTR)
    ;
}

static int read_report(void)
{
  struct worker *w = add_worker(1 << 20);
  char magic[8];
  if (!w)
    return -1;
  if (read(w->rd, magic, sizeof magic) != sizeof magic || memcmp(magic, "REPORT1\n", 8))
    return -1;                 /* w->rd stays open, the child stays blocked */
  close(w->rd);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "early"))
    return 2;
  int rc = read_report();
  shutdown_pool();
  return rc == -1 ? 0 : 1;
}

// reach (near-miss): a sharded exporter forks one worker per shard through
// start_shard() -> fork_worker(), keeping pid and read end in an array of
// structs; drain_shards() polls all read ends until every one reaches
// end-of-file and only then reap_shards() waits for the workers and checks
// each status. Each worker writes far more than a pipe holds.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: shards exit
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NSHARDS 3

struct shard {
  int id;
  pid_t pid;
  int rd;
  size_t bytes;
};

static void export_shard(int id, int fd)
{
  char row[64];
  for (int i = 0; i < 20000; i++) {
    int len = snprintf(row, sizeof row, "%d\t%d\tpayload\n", id, i);
    if (write(fd, row, (size_t)len) != len)
      _exit(1);
  }
}

static pid_t fork_worker(int id, int wr, int rd)
{
  pid_t pid = fork();
  if (pid == 0) {
    close(rd);
    export_shard(id, wr);
    close(wr);
    _exit(0);
  }
  return pid;
}

static int start_shard(struct shard *s)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  s->pid = fork_worker(s->id, p[1], p[0]);
  close(p[1]);
  if (s->pid < 0) {
    close(p[0]);
    return -1;
  }
  s->rd = p[0];
  s->bytes = 0;
  return 0;
}

static void drain_shards(struct shard *s, int n)
{
  struct pollfd pfd[NSHARDS];
  char buf[8192];
  int live = n;
  for (int i = 0; i < n; i++)
    pfd[i] = (struct pollfd){ .fd = s[i].rd, .events = POLLIN };
  while (live > 0) {
    if (poll(pfd, (nfds_t)n, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int i = 0; i < n; i++) {
      if (pfd[i].fd < 0 || !pfd[i].revents)
        continue;
      ssize_t r = read(pfd[i].fd, buf, sizeof buf);
      if (r > 0) {
        s[i].bytes += (size_t)r;
        continue;
      }
      close(pfd[i].fd);
      pfd[i].fd = -1;
      live--;
    }
  }
}

static int reap_shards(struct shard *s, int n)
{
  int failed = 0, status;
  for (int i = 0; i < n; i++)
    if (waitpid(s[i].pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "shard %d failed\n", s[i].id);
      failed++;
    }
  return failed;
}

int main(int argc, char **argv)
{
  struct shard shards[NSHARDS];
  int started = 0;
  if (argc < 2 || strcmp(argv[1], "shards"))
    return 2;
  for (int i = 0; i < NSHARDS; i++) {
    shards[i].id = i;
    if (start_shard(&shards[i]) < 0)
      break;
    started++;
  }
  drain_shards(shards, started);
  if (reap_shards(shards, started) != 0 || started != NSHARDS)
    return 1;
  for (int i = 0; i < NSHARDS; i++)
    printf("shard %d: %zu bytes\n", i, shards[i].bytes);
  return shards[0].bytes > 65536 ? 0 : 1;
}

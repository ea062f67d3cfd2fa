// reach: an importer reads records from a producer command. ingest_open()
// calls open_producer(), which makes the pipe and has spawn_producer()
// fork and exec the command, the pid coming back through an
// out-parameter two calls down. When the first line is not the expected
// header, ingest_run() gives up through ingest_stop(), which is handed the
// struct: it reaps the producer and only then closes the read end. The
// producer is blocked on the full pipe, and the reap never returns.
// CROSSES: struct pointer (stop helper gets the pid and read end in the struct); out-parameter (pid from a spawn helper two calls down)
// EXPECT: pipe-leaked-writer ingest_run|ingest_stop bad-header hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define INGEST_MAGIC "#records v2\n"

struct ingest {
  const char *cmd;
  pid_t pid;
  int fd;
  long records;
};

static int spawn_producer(const char *cmd, int wr, int rd, pid_t *pid_out)
{
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(rd);
    if (dup2(wr, STDOUT_FILENO) < 0)
      _exit(126);
    close(wr);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  *pid_out = pid;
  return 0;
}

static int open_producer(const char *cmd, int *rd_out, pid_t *pid_out)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  if (spawn_producer(cmd, p[1], p[0], pid_out) < 0) {
    int saved = errno;
    close(p[0]);
    close(p[1]);
    errno = saved;
    return -1;
  }
  close(p[1]);
  *rd_out = p[0];
  return 0;
}

static int ingest_open(struct ingest *in)
{
  if (open_producer(in->cmd, &in->fd, &in->pid) < 0) {
    fprintf(stderr, "ingest: cannot start '%s': %s\n", in->cmd, strerror(errno));
    return -1;
  }
  return 0;
}

static int ingest_stop(struct ingest *in)
{
  int status = 0;
  while (waitpid(in->pid, &status, 0) < 0 && errno == EINTR)
    ;
  close(in->fd);
  in->fd = -1;
  return status;
}

static int ingest_run(struct ingest *in)
{
  char hdr[sizeof INGEST_MAGIC - 1];
  char buf[8192];
  ssize_t n;

  if (ingest_open(in) < 0)
    return -1;
  if (read(in->fd, hdr, sizeof hdr) != (ssize_t)sizeof hdr ||
      memcmp(hdr, INGEST_MAGIC, sizeof hdr) != 0) {
    fprintf(stderr, "ingest: '%s' is not a record stream\n", in->cmd);
    ingest_stop(in);
    return -1;
  }
  while ((n = read(in->fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] == '\n')
        in->records++;
  return ingest_stop(in) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
  struct ingest in = { 0 };
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "records"))
    in.cmd = "printf '#records v2\\n'; seq 1 100000";
  else if (!strcmp(argv[1], "bad-header"))
    in.cmd = "seq 1 100000";   /* ~590 KB, no header */
  else
    return 2;
  int rc = ingest_run(&in);
  printf("rc %d, %ld records\n", rc, in.records);
  return rc == 0 && in.records == 100000 ? 0 : 1;
}

// Controls for the reach suite: the bugs of six suite programs written
// inside one function each, where the current checks do see them. They
// show that each suite program is labelled with the check that reports
// its bug once the boundary is gone, and that run.py counts a report in
// the named function (or at the named line) as found.
// CROSSES: none (control: the whole bug is in one function)
// EXPECT: pipe-self-deadlock banner_inline banner hang
// EXPECT: pipe-unclosed-write-end filter_inline upper hang
// EXPECT: pipe-wait-before-drain capture_inline capture hang
// EXPECT: pipe-leaked-writer consume_inline early-stop hang
// EXPECT: pipe-self-copy 131 relay hang
// (the read at 130 never ends either: the same defect, pipe-self-copy only)
// EXPECT: pipe-writer-error-ignored reap_inline truncated exit
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t banner_inline(char *out, size_t cap)   /* banner_make_pipe.c */
{
  int fds[2];
  size_t len = 0;
  ssize_t n;
  if (pipe(fds) < 0)
    return 0;
  dprintf(fds[1], "SERVICE READY\n");
  while ((n = read(fds[0], out + len, cap - len - 1)) > 0)
    len += (size_t)n;
  close(fds[0]);
  close(fds[1]);
  return len;
}

static int filter_inline(pid_t *pid_out)   /* spawn_filter_wrapper_returns_fd.c */
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    write(p[1], "HELLO\n", 6);
    _exit(0);
  }
  *pid_out = pid;
  return p[0];
}

static long capture_inline(void)   /* start_finish_command.c */
{
  int fds[2], status;
  char buf[8192];
  long total = 0;
  ssize_t n;
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("seq", "seq", "1", "200000", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  waitpid(pid, &status, 0);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? total : -1;
}

struct writer_job {
  int out;
};

static void *writer_main(void *arg)
{
  struct writer_job *job = arg;
  int fd = job->out;
  char block[4096];
  memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      break;
  close(fd);
  return NULL;
}

static int consume_inline(void)   /* pthread_pump_struct_join.c */
{
  int fds[2];
  pthread_t tid;
  struct writer_job job;
  char hdr[4];
  if (pipe(fds) != 0)
    return -1;
  job.out = fds[1];
  if (pthread_create(&tid, NULL, writer_main, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, "PK\3\4", 4) != 0) {
    pthread_join(tid, NULL);
    close(fds[0]);
    return -1;
  }
  pthread_join(tid, NULL);
  close(fds[0]);
  return 0;
}

static int relay_inline(void)   /* relay_pump_helper_typo.c */
{
  int a[2];
  char buf[4096];
  ssize_t n;
  if (pipe(a))
    return -1;
  write(a[1], "ping\n", 5);
  while ((n = read(a[0], buf, sizeof buf)) > 0)
    write(a[1], buf, (size_t)n);
  close(a[0]);
  close(a[1]);
  return 0;
}

static int reap_inline(size_t *len)   /* capture_reap_discards_status.c */
{
  int p[2];
  static char buf[65536];
  ssize_t n;
  if (pipe(p))
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    for (int i = 0; i < 100; i++) {
      if (i == 40)
        _exit(3);
      dprintf(p[1], "row %d\n", i);
    }
    _exit(0);
  }
  close(p[1]);
  *len = 0;
  while ((n = read(p[0], buf + *len, sizeof buf - *len)) > 0)
    *len += (size_t)n;
  close(p[0]);
  waitpid(pid, NULL, 0);
  return 0;
}

int main(int argc, char **argv)
{
  char buf[256];
  pid_t pid;
  size_t len;
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "banner"))
    return banner_inline(buf, sizeof buf) > 0 ? 0 : 1;
  if (!strcmp(argv[1], "upper")) {
    int fd = filter_inline(&pid);
    while (read(fd, buf, sizeof buf) > 0)
      ;
    return 0;
  }
  if (!strcmp(argv[1], "capture"))
    return capture_inline() > 0 ? 0 : 1;
  if (!strcmp(argv[1], "early-stop"))
    return consume_inline() == -1 ? 0 : 1;
  if (!strcmp(argv[1], "relay"))
    return relay_inline();
  if (!strcmp(argv[1], "truncated"))
    return reap_inline(&len) == 0 && len < 700 ? 0 : 1;
  return 2;
}

// reach: open_duplex() makes two pipes through a wrapper and, when the
// second one fails (EMFILE under a low descriptor limit), returns without
// closing the first: one pipe leaked per failure, and a reader of it would
// never see end-of-file. start_worker() gives up on the failure and its
// caller tries again, as a supervisor does. The scenario counts
// /proc/self/fd before and after the failed attempts and exits 0 when
// descriptors were leaked.
// CROSSES: function boundary (pipes created in a wrapper); struct member (ends stored in a member of a parameter)
// EXPECT: pipe-unclosed-write-end open_duplex emfile leak
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

struct duplex {
  int req[2];     /* parent -> worker */
  int resp[2];    /* worker -> parent */
};

static int xpipe_cloexec(int fds[2])
{
  return pipe2(fds, O_CLOEXEC);
}

static int open_duplex(struct duplex *d)
{
  if (xpipe_cloexec(d->req) < 0)
    return -1;
  if (xpipe_cloexec(d->resp) < 0) {
    fprintf(stderr, "open_duplex: %s\n", strerror(errno));
    return -1;
  }
  return 0;
}

static int start_worker(void)
{
  struct duplex d;
  if (open_duplex(&d) < 0)
    return -1;
  /* ... hand d to a worker; here it is simply closed again. */
  close(d.req[0]); close(d.req[1]);
  close(d.resp[0]); close(d.resp[1]);
  return 0;
}

static int count_fds(void)
{
  DIR *dir = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (!dir)
    return -1;
  while ((e = readdir(dir)) != NULL)
    if (e->d_name[0] != '.')
      n++;
  closedir(dir);
  return n - 1;   /* the directory's own descriptor */
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "emfile"))
    return 2;
  int before = count_fds();
  /* Room for exactly one more pipe (and the count's own descriptor). */
  struct rlimit rl = { .rlim_cur = (rlim_t)before + 3, .rlim_max = (rlim_t)before + 3 };
  int maxfd = -1;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      maxfd = fd;
  if ((rlim_t)maxfd + 1 > rl.rlim_cur)
    rl.rlim_cur = rl.rlim_max = (rlim_t)maxfd + 3;
  setrlimit(RLIMIT_NOFILE, &rl);
  int rc = -1;
  for (int attempt = 0; attempt < 3 && rc < 0; attempt++)
    rc = start_worker();
  int after = count_fds();
  printf("start_worker: %d, descriptors %d -> %d\n", rc, before, after);
  return rc < 0 && after > before ? 0 : 1;
}

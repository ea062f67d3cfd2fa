// reach: a download tool reports progress through a pipe. pipe_pair_open()
// is a wrapper that returns both ends in a struct by value;
// progress_open() takes them, validates the caller's options through
// progress_configure(), and on a rejected interval logs and returns -1
// without closing either end. A front end that retries with the user's
// next setting leaks one pipe per rejected attempt. The scenario counts
// /proc/self/fd around the rejected attempts and exits 0 when descriptors
// were leaked.
// CROSSES: return value (pipe ends in a struct returned by value from a wrapper); function boundary (the failure is decided in a validation helper)
// EXPECT: pipe-unclosed-write-end progress_open bad-interval leak
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pipe_pair {
  int rd;
  int wr;
  int err;
};

struct progress_opts {
  const char *label;
  int interval_ms;
  int nonblocking;
};

struct progress {
  int rd;
  int wr;
  int interval_ms;
  char label[32];
};

static void log_err(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("fetch: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static struct pipe_pair pipe_pair_open(int flags)
{
  struct pipe_pair pp = { .rd = -1, .wr = -1, .err = 0 };
  int fds[2];

  if (pipe2(fds, flags) < 0) {
    pp.err = errno;
    return pp;
  }
  pp.rd = fds[0];
  pp.wr = fds[1];
  return pp;
}

static int progress_configure(int rd, const struct progress_opts *o)
{
  if (o->interval_ms < 10 || o->interval_ms > 60000) {
    errno = EINVAL;
    return -1;
  }
  if (o->nonblocking) {
    int fl = fcntl(rd, F_GETFL);
    if (fl < 0 || fcntl(rd, F_SETFL, fl | O_NONBLOCK) < 0)
      return -1;
  }
  return 0;
}

static int progress_open(struct progress *p, const struct progress_opts *o)
{
  struct pipe_pair pp = pipe_pair_open(O_CLOEXEC);

  if (pp.err) {
    log_err("progress pipe: %s", strerror(pp.err));
    return -1;
  }
  if (progress_configure(pp.rd, o) < 0) {
    log_err("progress '%s': %s", o->label, strerror(errno));
    return -1;
  }
  p->rd = pp.rd;
  p->wr = pp.wr;
  p->interval_ms = o->interval_ms;
  snprintf(p->label, sizeof p->label, "%s", o->label);
  return 0;
}

static void progress_close(struct progress *p)
{
  close(p->wr);
  close(p->rd);
}

static int count_fds(void)
{
  DIR *dir = opendir("/proc/self/fd");
  struct dirent *de;
  int n = 0;
  if (!dir)
    return -1;
  while ((de = readdir(dir)) != NULL)
    if (de->d_name[0] != '.')
      n++;
  closedir(dir);
  return n;
}

int main(int argc, char **argv)
{
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "bad-interval")) {
    int before = count_fds();
    for (int attempt = 0; attempt < 32; attempt++) {
      struct progress_opts o = { "download", attempt % 10, 1 };  /* < 10 ms */
      struct progress p;
      if (progress_open(&p, &o) == 0)
        progress_close(&p);
    }
    int after = count_fds();
    printf("%d descriptors before, %d after\n", before, after);
    return after >= before + 64 ? 0 : 1;
  }
  if (!strcmp(argv[1], "ok")) {
    struct progress_opts o = { "download", 250, 1 };
    struct progress p;
    if (progress_open(&p, &o) < 0)
      return 1;
    dprintf(p.wr, "%s 42%%\n", p.label);
    progress_close(&p);
    return 0;
  }
  return 2;
}

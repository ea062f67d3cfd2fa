// reach (near-miss): the rotating logger of b4_logger_rotate_sink_leak.c
// with the setter fixed: logger_set_sink() closes the write end of the
// previous compressor before it installs the new one (returned through an
// out-parameter by open_compressor() -> spawn_filter()), so the previous
// gzip sees end-of-file, finishes its segment and exits. Six rotations
// leave the descriptor count unchanged and all six segments finished.
// EXPECT-NONE: pipe-unclosed-write-end
// EXPECT-NONE: pipe-self-deadlock
// PROOF: rotate exit
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct logger {
  char dir[64];
  int segment;
  int sink;        /* write end of the pipe to the current compressor */
  pid_t compressor;
  int finished;    /* segments whose compressor has exited */
};

/* Runs argv[0] with its stdin on a new pipe and its stdout on out_fd. */
static pid_t spawn_filter(char *const argv[], int out_fd, int *in_wr)
{
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[0], 0);
    dup2(out_fd, 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(p[0]);
  *in_wr = p[1];
  return pid;
}

static pid_t open_compressor(const char *dir, int segment, int *sink)
{
  char path[128];
  char *argv[] = { "gzip", "-1", "-c", NULL };
  snprintf(path, sizeof path, "%s/service.%03d.log.gz", dir, segment);
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0)
    return -1;
  pid_t pid = spawn_filter(argv, out, sink);
  close(out);
  return pid;
}

static void logger_set_sink(struct logger *lg, int fd, pid_t pid)
{
  /* The old compressor finishes its segment when it sees end-of-file;
     logger_reap() collects it. */
  if (lg->sink >= 0)
    close(lg->sink);
  lg->sink = fd;
  lg->compressor = pid;
}

static void logger_reap(struct logger *lg)
{
  int st;
  while (waitpid(-1, &st, WNOHANG) > 0)
    lg->finished++;
}

static int logger_rotate(struct logger *lg)
{
  int fd;
  pid_t pid = open_compressor(lg->dir, lg->segment + 1, &fd);
  if (pid < 0) {
    fprintf(stderr, "log: cannot rotate: %s\n", strerror(errno));
    return -1;
  }
  lg->segment++;
  logger_set_sink(lg, fd, pid);
  logger_reap(lg);
  return 0;
}

static void logger_printf(struct logger *lg, const char *fmt, ...)
{
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0 && write(lg->sink, line, (size_t)n) < 0)
    perror("log");
}

static int logger_close(struct logger *lg)
{
  int st = 0;
  close(lg->sink);
  lg->sink = -1;
  if (waitpid(lg->compressor, &st, 0) > 0)
    lg->finished++;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int count_fds(void)
{
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

static void remove_segments(const struct logger *lg)
{
  char path[128];
  for (int seg = 1; seg <= lg->segment; seg++) {
    snprintf(path, sizeof path, "%s/service.%03d.log.gz", lg->dir, seg);
    unlink(path);
  }
  rmdir(lg->dir);
}

int main(int argc, char **argv)
{
  struct logger lg = { .sink = -1, .compressor = -1 };
  if (argc < 2 || strcmp(argv[1], "rotate"))
    return 2;
  snprintf(lg.dir, sizeof lg.dir, "/tmp/b4log.XXXXXX");
  if (!mkdtemp(lg.dir))
    return 2;
  if (logger_rotate(&lg) < 0)
    return 2;

  int before = count_fds();
  for (int seg = 0; seg < 6; seg++) {
    for (int i = 0; i < 200; i++)
      logger_printf(&lg, "seg %d: request %d served in %d ms\n", seg, i, i % 17);
    if (logger_rotate(&lg) < 0)
      return 2;
  }
  /* Give the compressors of the closed segments up to 2 s to finish. */
  for (int ms = 0; ms < 2000 && lg.finished < lg.segment - 1; ms += 10) {
    usleep(10 * 1000);
    logger_reap(&lg);
  }
  int after = count_fds();
  printf("fds %d -> %d, %d of %d segments finished\n", before, after,
         lg.finished, lg.segment - 1);
  logger_close(&lg);
  remove_segments(&lg);
  return after == before && lg.finished == lg.segment ? 0 : 1;
}

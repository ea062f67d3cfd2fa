// reach (near-miss): a reader that gives up on a bad header while a writer
// thread still holds the pipe, but gives up by calling die(), which exits
// the process: the kernel closes everything. The scenario runs the tool in
// a child and checks that it exits promptly with status 2.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: fatal exit
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *fmt, ...) __attribute__((noreturn));
static void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  exit(2);
}

static void *spool(void *arg)
{
  int fd = *(int *)arg;
  char block[4096];
  memset(block, '=', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      break;
  close(fd);
  return NULL;
}

static void check_spool(void)
{
  int p[2];
  pthread_t t;
  char hdr[4];
  if (pipe(p))
    die("pipe failed\n");
  pthread_create(&t, NULL, spool, &p[1]);
  if (read(p[0], hdr, 4) != 4 || memcmp(hdr, "SPL1", 4))
    die("bad spool header\n");
  close(p[0]);
  pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
  int st;
  if (argc < 2 || strcmp(argv[1], "fatal"))
    return 2;
  pid_t pid = fork();
  if (pid == 0) {
    check_spool();
    _exit(0);
  }
  waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 2 ? 0 : 1;
}

// reach (near-miss): the pump struct of a reader that stops early:
// pump_stop() closes the read end first, so the writer thread gets EPIPE
// and the join returns.
// EXPECT-NONE: pipe-leaked-writer
// PROOF: early-stop exit
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pump {
  pthread_t tid;
  int rfd, wfd;
  size_t volume;
};

static void *pump_main(void *arg)
{
  struct pump *p = arg;
  char block[4096];
  memset(block, 'x', sizeof block);
  for (size_t done = 0; done < p->volume; done += sizeof block)
    if (write(p->wfd, block, sizeof block) < 0)
      break;
  close(p->wfd);
  return NULL;
}

static int pump_start(struct pump *p, size_t volume)
{
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  p->rfd = fds[0];
  p->wfd = fds[1];
  p->volume = volume;
  return pthread_create(&p->tid, NULL, pump_main, p) == 0 ? 0 : -1;
}

static void pump_stop(struct pump *p)
{
  close(p->rfd);
  pthread_join(p->tid, NULL);
}

int main(int argc, char **argv)
{
  struct pump p;
  char hdr[4];
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2 || strcmp(argv[1], "early-stop"))
    return 2;
  if (pump_start(&p, 1 << 20) < 0)
    return 1;
  int bad = read(p.rfd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, "PK\3\4", 4) != 0;
  pump_stop(&p);
  return bad ? 0 : 1;
}

// reach: a pump struct holds the reader's descriptor and the writer
// thread's handle; pump_stop() joins the writer before it closes the read
// end, so when the consumer gives up early the join waits forever.
// CROSSES: struct member (thread handle and read end in a struct); thread start routine (void * cast to a struct)
// EXPECT: pipe-leaked-writer pump_stop|consume early-stop hang
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pump {
  pthread_t tid;
  int rfd;
  int wfd;
  size_t volume;
};

static void *pump_main(void *arg)
{
  struct pump *p = (struct pump *)arg;
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
  if (pthread_create(&p->tid, NULL, pump_main, p) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  return 0;
}

static void pump_stop(struct pump *p)
{
  pthread_join(p->tid, NULL);
  close(p->rfd);
}

static int consume(size_t volume)
{
  struct pump p;
  char hdr[4];

  if (pump_start(&p, volume) < 0)
    return -1;
  if (read(p.rfd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, "PK\3\4", 4) != 0) {
    fprintf(stderr, "not an archive\n");
    pump_stop(&p);
    return -1;
  }
  pump_stop(&p);
  return 0;
}

int main(int argc, char **argv)
{
  signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && !strcmp(argv[1], "early-stop"))
    return consume(1 << 20) == -1 ? 0 : 1;
  return 2;
}

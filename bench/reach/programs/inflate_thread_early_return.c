// reach: inflater_open() starts a decoder thread whose arguments live in a
// heap struct (it frees them itself) and returns a heap handle with the
// read end; load_index() checks the stream's magic and, on a mismatch,
// frees the handle and returns without closing the read end or joining the
// thread. The decoder has more to write than a pipe holds and stays blocked
// in write() for good, holding the write end: one thread and two
// descriptors leaked per bad file. The scenario sees the writer still
// blocked and both descriptors still open, and exits 0.
// CROSSES: function boundary (pthread_create in a helper that hands back the handle and read end in a struct); heap struct (thread arguments malloc'ed, freed by the thread)
// EXPECT: pipe-leaked-writer load_index bad-magic leak
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int decoders_running;

struct decode_args {
  int wr;
  size_t volume;
  char magic[8];
};

struct inflater {
  pthread_t tid;
  int rd;
};

static void *decode_main(void *opaque)
{
  struct decode_args *a = opaque;
  char block[4096];
  intptr_t rc = 0;
  atomic_fetch_add(&decoders_running, 1);
  memset(block, 'z', sizeof block);
  if (write(a->wr, a->magic, sizeof a->magic) != (ssize_t)sizeof a->magic)
    rc = -1;
  for (size_t done = 0; rc == 0 && done < a->volume; done += sizeof block)
    if (write(a->wr, block, sizeof block) < 0)
      rc = -1;
  close(a->wr);
  free(a);
  atomic_fetch_sub(&decoders_running, 1);
  return (void *)rc;
}

static struct inflater *inflater_open(const char *magic, size_t volume)
{
  int p[2];
  struct inflater *inf = calloc(1, sizeof *inf);
  struct decode_args *a = calloc(1, sizeof *a);
  if (!inf || !a || pipe(p) < 0)
    goto fail;
  a->wr = p[1];
  a->volume = volume;
  memcpy(a->magic, magic, sizeof a->magic);
  inf->rd = p[0];
  if (pthread_create(&inf->tid, NULL, decode_main, a) != 0) {
    close(p[0]);
    close(p[1]);
    goto fail;
  }
  return inf;
fail:
  free(a);
  free(inf);
  return NULL;
}

static int load_index(const char *magic, size_t *entries)
{
  struct inflater *inf = inflater_open(magic, 1 << 20);
  char hdr[8];
  char buf[4096];
  ssize_t n;
  void *ret;

  if (!inf)
    return -1;
  if (read(inf->rd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, "IDX1\0\0\0\0", 8) != 0) {
    fprintf(stderr, "load_index: bad magic\n");
    free(inf);
    return -1;
  }
  *entries = 0;
  while ((n = read(inf->rd, buf, sizeof buf)) > 0)
    *entries += (size_t)n / 16;
  close(inf->rd);
  if (pthread_join(inf->tid, &ret) != 0 || ret != NULL) {
    free(inf);
    return -1;
  }
  free(inf);
  return 0;
}

static int count_fds(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

int main(int argc, char **argv)
{
  size_t entries;
  if (argc < 2 || strcmp(argv[1], "bad-magic"))
    return 2;
  int before = count_fds();
  int rc = load_index("PK\3\4\0\0\0\0", &entries);
  usleep(200 * 1000);
  int after = count_fds();
  int running = atomic_load(&decoders_running);
  printf("load_index %d; descriptors %d -> %d; decoders still running: %d\n",
         rc, before, after, running);
  return rc < 0 && after - before == 2 && running == 1 ? 0 : 1;
}

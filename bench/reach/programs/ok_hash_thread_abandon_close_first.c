// reach (near-miss): a checksum writer thread gets its arguments in a heap
// struct; verify_header() gives up early on a bad header but closes the read
// end before it joins, so the writer's next write() fails with EPIPE
// (SIGPIPE ignored), the thread returns its error, and the join completes;
// the caller looks at both the thread's return value and the error field.
// EXPECT-NONE: pipe-leaked-writer
// EXPECT-NONE: pipe-writer-error-ignored
// PROOF: bad-header exit
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct emit_args {
  int wr;
  size_t volume;
  int err;
};

struct emitter {
  pthread_t tid;
  int rd;
  struct emit_args *args;
};

static void *emit_main(void *opaque)
{
  struct emit_args *a = opaque;
  char block[4096];
  memset(block, 'h', sizeof block);
  memcpy(block, "BAD!", 4);
  for (size_t done = 0; done < a->volume; done += sizeof block)
    if (write(a->wr, block, sizeof block) < 0) {
      a->err = errno;
      break;
    }
  close(a->wr);
  return a->err ? (void *)(intptr_t)-1 : NULL;
}

static int emitter_start(struct emitter *e, size_t volume)
{
  int p[2];
  e->args = calloc(1, sizeof *e->args);
  if (!e->args || pipe(p) < 0) {
    free(e->args);
    return -1;
  }
  e->args->wr = p[1];
  e->args->volume = volume;
  e->rd = p[0];
  if (pthread_create(&e->tid, NULL, emit_main, e->args) != 0) {
    close(p[0]);
    close(p[1]);
    free(e->args);
    return -1;
  }
  return 0;
}

/* Closes the read end first, so that a writer still writing gets EPIPE. */
static int emitter_finish(struct emitter *e)
{
  void *ret;
  close(e->rd);
  if (pthread_join(e->tid, &ret) != 0)
    return -1;
  int err = e->args->err;
  free(e->args);
  if (ret != NULL && err != EPIPE)
    return -1;
  return err;
}

static int verify_header(void)
{
  struct emitter e;
  char hdr[4];
  if (emitter_start(&e, 1 << 20) < 0)
    return -1;
  if (read(e.rd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, "SUM1", 4) != 0) {
    fprintf(stderr, "verify_header: bad header, abandoning stream\n");
    int err = emitter_finish(&e);
    fprintf(stderr, "verify_header: writer stopped: %s\n", err > 0 ? strerror(err) : "ok");
    return err < 0 ? -2 : -1;
  }
  return emitter_finish(&e) == 0 ? 0 : -2;
}

int main(int argc, char **argv)
{
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2 || strcmp(argv[1], "bad-header"))
    return 2;
  return verify_header() == -1 ? 0 : 1;
}

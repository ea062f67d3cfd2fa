// reach: a relay object (heap struct with an inbound and an outbound pipe)
// is preloaded with queued messages and then run; relay_run() wraps the two
// ends in stdio streams for a line-by-line copy, but opens the destination
// stream on the inbound pipe's own write end (in[1] for out[1]). Every line
// it copies goes back into the pipe it reads, and the copy never ends.
// CROSSES: function boundary (the pipe reaches relay_run through a pointer, and both ends are wrapped with fdopen before an fgets/fputs copy in a helper); heap struct
// EXPECT: pipe-self-copy relay_run|copy_lines flush-queue hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct relay {
  int in[2];      /* producers -> relay */
  int out[2];     /* relay -> consumer */
  long forwarded;
};

static struct relay *relay_new(void)
{
  struct relay *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  if (pipe(r->in) < 0) {
    free(r);
    return NULL;
  }
  if (pipe(r->out) < 0) {
    close(r->in[0]);
    close(r->in[1]);
    free(r);
    return NULL;
  }
  return r;
}

static int relay_enqueue(struct relay *r, const char *msg)
{
  return dprintf(r->in[1], "%s\n", msg) < 0 ? -1 : 0;
}

static long copy_lines(FILE *src, FILE *dst)
{
  char line[1024];
  long n = 0;
  while (fgets(line, sizeof line, src)) {
    if (fputs(line, dst) == EOF || fflush(dst) == EOF)
      return -1;
    n++;
  }
  return ferror(src) ? -1 : n;
}

static int relay_run(struct relay *r)
{
  FILE *src = fdopen(r->in[0], "r");
  FILE *dst = fdopen(r->in[1], "w");
  if (!src || !dst) {
    fprintf(stderr, "relay_run: fdopen: %s\n", strerror(errno));
    return -1;
  }
  r->forwarded = copy_lines(src, dst);
  fclose(src);
  fclose(dst);
  close(r->out[1]);
  return r->forwarded < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
  const char *queued[] = { "job 17 done", "job 18 done", "job 19 failed" };
  if (argc < 2 || strcmp(argv[1], "flush-queue"))
    return 2;
  struct relay *r = relay_new();
  if (!r)
    return 1;
  for (int i = 0; i < 3; i++)
    if (relay_enqueue(r, queued[i]) < 0)
      return 1;
  int rc = relay_run(r);
  printf("forwarded %ld lines\n", r->forwarded);
  close(r->out[0]);
  free(r);
  return rc;
}

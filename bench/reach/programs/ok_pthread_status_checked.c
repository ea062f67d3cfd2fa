// reach (near-miss): a pthread start routine gets its job through a void *
// cast to a struct, closes its end on every path and returns a status;
// the reader drains, closes, joins and checks the status it gets back.
// EXPECT-NONE: pipe-writer-error-ignored
// EXPECT-NONE: pipe-leaked-writer
// PROOF: export exit
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct export_job {
  int rows;
  int out;
};

static void *export_thread(void *opaque)
{
  struct export_job *job = opaque;
  for (int i = 0; i < job->rows; i++) {
    if (dprintf(job->out, "row %d\n", i) < 0) {
      close(job->out);
      return (void *)(intptr_t)-1;
    }
  }
  close(job->out);
  return (void *)(intptr_t)0;
}

static int export_rows(int rows, size_t *bytes)
{
  int p[2];
  pthread_t t;
  void *ret;
  char buf[512];
  ssize_t n;
  struct export_job job;

  if (pipe(p) < 0)
    return -1;
  job.rows = rows;
  job.out = p[1];
  if (pthread_create(&t, NULL, export_thread, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  *bytes = 0;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    *bytes += (size_t)n;
  close(p[0]);
  pthread_join(t, &ret);
  return (intptr_t)ret == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
  size_t bytes;
  if (argc > 1 && !strcmp(argv[1], "export"))
    return export_rows(5000, &bytes) == 0 && bytes > 0 ? 0 : 1;
  return 2;
}

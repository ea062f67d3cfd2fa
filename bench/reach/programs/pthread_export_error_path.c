// reach: a pthread start routine gets its job as a void * cast to a struct;
// on a read error from its source it only closes the pipe and returns
// NULL, exactly as on success, and the reader joins it with
// pthread_join(t, NULL). The scenario exits 0 when a failed export was
// taken as complete.
// CROSSES: out-parameter (the helper that makes the pipe hands its ends back through *rd and a struct); thread start routine (void * argument cast to a struct)
// EXPECT: pipe-writer-error-ignored export_thread|export_all failed-source exit
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct export_job {
  int src;       /* where the rows come from */
  int out;       /* write end of the pipe */
};

static void *export_thread(void *opaque)
{
  struct export_job *job = opaque;
  char buf[512];
  ssize_t n;
  for (;;) {
    n = read(job->src, buf, sizeof buf);
    if (n < 0) {
      close(job->out);
      return NULL;          /* indistinguishable from success */
    }
    if (n == 0)
      break;
    write(job->out, buf, (size_t)n);
  }
  close(job->out);
  return NULL;
}

static int open_export(struct export_job *job, int src, int *rd)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  job->src = src;
  job->out = p[1];
  *rd = p[0];
  return 0;
}

static int export_all(int src, size_t *bytes)
{
  struct export_job job;
  pthread_t t;
  int rd;
  char buf[512];
  ssize_t n;

  if (open_export(&job, src, &rd) < 0)
    return -1;
  pthread_create(&t, NULL, export_thread, &job);
  *bytes = 0;
  while ((n = read(rd, buf, sizeof buf)) > 0)
    *bytes += (size_t)n;
  close(rd);
  pthread_join(t, NULL);
  return 0;
}

int main(int argc, char **argv)
{
  size_t bytes;
  if (argc < 2 || strcmp(argv[1], "failed-source"))
    return 2;
  /* A write-only descriptor: the first read() fails with EBADF. */
  int p[2];
  pipe(p);
  int rc = export_all(p[1], &bytes);
  printf("export_all returned %d after %zu bytes\n", rc, bytes);
  return rc == 0 ? 0 : 1;
}

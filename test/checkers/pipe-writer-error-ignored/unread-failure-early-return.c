// pipe-writer-error-ignored: a writer thread that gives up part-way (an
// early `return` from its routine, its template cannot be opened) and
// records why in the struct its reader gave it, which the reader never
// reads after the join: the reader sees a clean end-of-file and takes the
// truncated page as complete. The near miss tests the record after the
// join.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s missing-template exit
// RUN: %run_example %s missing-template-checked exit

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct render_args {
  const char *path;
  int out;
  int err;
};

static void *render(void *opaque)
{
  struct render_args *a = opaque;
  FILE *f;
  dprintf(a->out, "<html>\n");
  f = fopen(a->path, "r");
  if (!f) {
    a->err = errno;
    close(a->out);
    return NULL;
  }
  fclose(f);
  dprintf(a->out, "</html>\n");
  close(a->out);
  return NULL;
}

/* Returns the length of the page read, or -1. */
long render_page(const char *path, char *page, size_t size)
{
  struct render_args a = {path, -1, 0};
  size_t len = 0;
  ssize_t n;
  pthread_t t;
  int p[2];

  if (pipe(p) < 0)
    return -1;
  a.out = p[1];
  if (pthread_create(&t, NULL, render, &a) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  while ((n = read(p[0], page + len, size - len - 1)) > 0)
    len += (size_t)n;
  page[len] = '\0';
  close(p[0]);
  if (pthread_join(t, NULL) != 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: the writer records its failure in 'a.err', but nothing reads 'a.err' after it is joined here: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; test 'a.err' after the join and report the failure [pipe-writer-error-ignored]
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: the writer starts here
    // CHECK-MESSAGES: :[[@LINE-34]]:5: note: it records its failure here
    // CHECK-MESSAGES: :[[@LINE-8]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
    // CHECK-MESSAGES: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-10]]:10: note: the loop condition is false: leaving the loop
    return -1;
  return (long)len;
}

/* Near miss: the record is tested after the join. */
long render_page_checked(const char *path, char *page, size_t size)
{
  struct render_args a = {path, -1, 0};
  size_t len = 0;
  ssize_t n;
  pthread_t t;
  int p[2];

  if (pipe(p) < 0)
    return -1;
  a.out = p[1];
  if (pthread_create(&t, NULL, render, &a) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  while ((n = read(p[0], page + len, size - len - 1)) > 0)
    len += (size_t)n;
  page[len] = '\0';
  close(p[0]);
  if (pthread_join(t, NULL) != 0 || a.err != 0)
    return -1;
  return (long)len;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char page[256];
  /* The lie: a page without its end, accepted. */
  if (strcmp(s, "missing-template") == 0)
    return render_page("/nonexistent/index.tpl", page, sizeof page) > 0 &&
                   !strstr(page, "</html>")
               ? 0
               : 1;
  if (strcmp(s, "missing-template-checked") == 0)
    return render_page_checked("/nonexistent/index.tpl", page, sizeof page) == -1
               ? 0
               : 1;
  return 2;
}

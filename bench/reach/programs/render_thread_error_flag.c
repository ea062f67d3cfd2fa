// reach: render_page() hands a template path and the pipe's write end to a
// renderer thread in a heap struct; when the template cannot be opened the
// thread records errno in args->err, closes the pipe and returns. The reader
// collects the page to end-of-file, joins the thread and frees the struct
// without ever looking at err, so a page with no body is served as a
// complete one. The scenario exits 0 when it sees that.
// CROSSES: struct member (the writer records its failure in a field of its heap argument struct that the reader never reads); thread start routine (void * cast to a struct)
// EXPECT: pipe-writer-error-ignored render_page|render_main missing-template exit
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct render_args {
  const char *template_path;
  const char *title;
  int out;
  int err;
};

static int write_all(int fd, const char *s, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

static void *render_main(void *opaque)
{
  struct render_args *a = opaque;
  char line[512];
  FILE *tpl;

  dprintf(a->out, "<html><head><title>%s</title></head>\n", a->title);
  tpl = fopen(a->template_path, "r");
  if (!tpl) {
    a->err = errno;
    close(a->out);
    return NULL;
  }
  while (fgets(line, sizeof line, tpl))
    if (write_all(a->out, line, strlen(line)) < 0) {
      a->err = errno;
      break;
    }
  fclose(tpl);
  if (!a->err)
    dprintf(a->out, "</html>\n");
  close(a->out);
  return NULL;
}

static char *render_page(const char *template_path, const char *title)
{
  struct render_args *a = calloc(1, sizeof *a);
  pthread_t t;
  int p[2];
  size_t len = 0, cap = 1024;
  char *page = malloc(cap);
  ssize_t n;

  if (!a || !page || pipe(p) < 0)
    goto fail;
  a->template_path = template_path;
  a->title = title;
  a->out = p[1];
  if (pthread_create(&t, NULL, render_main, a) != 0) {
    close(p[0]);
    close(p[1]);
    goto fail;
  }
  while ((n = read(p[0], page + len, cap - len - 1)) > 0) {
    len += (size_t)n;
    if (cap - len < 128)
      page = realloc(page, cap *= 2);
  }
  close(p[0]);
  if (pthread_join(t, NULL) != 0)
    goto fail;
  free(a);
  page[len] = '\0';
  return page;
fail:
  free(a);
  free(page);
  return NULL;
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "missing-template"))
    return 2;
  char *page = render_page("/nonexistent/templates/index.tpl", "Home");
  if (!page)
    return 1;
  int truncated = strstr(page, "</html>") == NULL;
  printf("served %zu bytes%s\n", strlen(page), truncated ? " (no body, taken as complete)" : "");
  free(page);
  return truncated ? 0 : 1;
}

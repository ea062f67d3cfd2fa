// reach: a unit-test helper captures what a function prints: capture_begin()
// points stdout (fd 1) at a pipe with dup2 and keeps the read end in a
// struct; capture_end() reads the pipe to end-of-file and only afterwards
// puts the saved stdout back. Until then fd 1 is a write end of that very
// pipe, held by the reading process, so the read never ends.
// CROSSES: function boundary (dup2 of the write end onto stdout in one function, read to end-of-file in another); struct member (read end and saved descriptor in a struct)
// EXPECT: pipe-self-deadlock capture_end|test_greeting greet hang
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct capture {
  int saved_stdout;
  int rd;
};

static int capture_begin(struct capture *c)
{
  int p[2];
  fflush(stdout);
  if (pipe(p) < 0)
    return -1;
  c->saved_stdout = dup(STDOUT_FILENO);
  if (c->saved_stdout < 0)
    goto fail;
  if (dup2(p[1], STDOUT_FILENO) < 0)
    goto fail_saved;
  close(p[1]);
  c->rd = p[0];
  return 0;

fail_saved:
  close(c->saved_stdout);
fail:
  close(p[0]);
  close(p[1]);
  return -1;
}

static char *capture_end(struct capture *c, size_t *lenp)
{
  size_t len = 0, cap = 256;
  char *buf = malloc(cap);
  ssize_t n;

  fflush(stdout);
  while (buf && (n = read(c->rd, buf + len, cap - len - 1)) > 0) {
    len += (size_t)n;
    if (cap - len < 64) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb)
        free(buf);
      buf = nb;
    }
  }
  close(c->rd);
  dup2(c->saved_stdout, STDOUT_FILENO);
  close(c->saved_stdout);
  if (buf)
    buf[len] = '\0';
  *lenp = len;
  return buf;
}

/* The code under test. */
static void print_greeting(const char *who)
{
  printf("hello, %s\n", who);
}

static int test_greeting(void)
{
  struct capture cap;
  size_t len;
  char *got;

  if (capture_begin(&cap) < 0) {
    fprintf(stderr, "capture_begin: %s\n", strerror(errno));
    return -1;
  }
  print_greeting("world");
  got = capture_end(&cap, &len);
  int ok = got && strcmp(got, "hello, world\n") == 0;
  fprintf(stderr, "test_greeting: %s\n", ok ? "PASS" : "FAIL");
  free(got);
  return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "greet"))
    return 2;
  return test_greeting() == 0 ? 0 : 1;
}

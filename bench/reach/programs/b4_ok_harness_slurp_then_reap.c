// reach (near-miss): the test harness of b4_harness_reap_then_slurp.c in
// the right order: run_one() collects the child's log with slurp_fd() to
// end-of-file first (the pipe and the pid come back in a struct returned by
// spawn_captured()) and only then asks await_case() for the exit status. A
// test that prints ~400 KB of trace goes through and passes.
// EXPECT-NONE: pipe-wait-before-drain
// EXPECT-NONE: pipe-self-deadlock
// PROOF: verbose exit
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*test_fn)(void);

struct test_case {
  const char *name;
  test_fn fn;
};

struct captured {
  pid_t pid;
  int out;       /* read end: the child's stdout and stderr */
};

struct result {
  int passed;
  char *log;
  size_t log_len;
};

static struct captured spawn_captured(test_fn fn)
{
  struct captured c = { -1, -1 };
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return c;
  c.pid = fork();
  if (c.pid == 0) {
    dup2(p[1], 1);
    dup2(p[1], 2);
    close(p[0]);
    close(p[1]);
    int rc = fn();
    fflush(stdout);
    _exit(rc == 0 ? 0 : 1);
  }
  close(p[1]);
  if (c.pid < 0) {
    close(p[0]);
    return c;
  }
  c.out = p[0];
  return c;
}

static int xwaitpid(pid_t pid, int *status)
{
  while (waitpid(pid, status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return 0;
}

static int await_case(const struct captured *c, const char *name)
{
  int st;
  if (xwaitpid(c->pid, &st) < 0)
    return -1;
  if (WIFSIGNALED(st)) {
    fprintf(stderr, "%s: killed by signal %d\n", name, WTERMSIG(st));
    return -1;
  }
  return WEXITSTATUS(st) == 0 ? 0 : -1;
}

static char *slurp_fd(int fd, size_t *len_out)
{
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
    len += (size_t)n;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger) {
        free(buf);
        return NULL;
      }
      buf = bigger;
    }
  }
  *len_out = len;
  return buf;
}

static int run_one(const struct test_case *tc, struct result *res)
{
  struct captured c = spawn_captured(tc->fn);
  if (c.pid < 0) {
    fprintf(stderr, "%s: cannot start: %s\n", tc->name, strerror(errno));
    return -1;
  }
  res->log = slurp_fd(c.out, &res->log_len);
  close(c.out);
  res->passed = await_case(&c, tc->name) == 0;
  return 0;
}

static int test_parse_quiet(void)
{
  printf("parse: 3 cases ok\n");
  return 0;
}

static int test_parse_verbose(void)
{
  /* A test with tracing switched on: ~400 KB of log. */
  for (int i = 0; i < 10000; i++)
    printf("trace: token %5d kind=%d offset=%d line=%d\n", i, i % 9, i * 7, i / 40);
  return 0;
}

int main(int argc, char **argv)
{
  struct test_case quiet = { "parse_quiet", test_parse_quiet };
  struct test_case verbose = { "parse_verbose", test_parse_verbose };
  const struct test_case *tc;
  struct result res = { 0 };

  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "quiet"))
    tc = &quiet;
  else if (!strcmp(argv[1], "verbose"))
    tc = &verbose;
  else
    return 2;
  if (run_one(tc, &res) < 0)
    return 1;
  printf("%s: %s, %zu bytes of log\n", tc->name, res.passed ? "PASS" : "FAIL",
         res.log_len);
  free(res.log);
  return res.passed ? 0 : 1;
}

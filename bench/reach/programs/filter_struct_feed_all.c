// reach: start_filter() fills a struct with the child's stdin and stdout
// ends; the caller feeds all of its input through feed() before it reads
// any output, and the filter (cat) stops reading once its output is full.
// roundtrip() also reaps the filter with waitpid(pid, NULL, 0): a filter
// that fails (here: one that cannot be started) looks like one that had no
// output. The 'missing' scenario exits 0 when it sees exactly that.
// CROSSES: struct member (child's ends in a struct); function boundary (write loop in a helper)
// EXPECT: pipe-wait-before-drain roundtrip|feed roundtrip hang
// EXPECT: pipe-writer-error-ignored roundtrip missing exit
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct filter {
  pid_t pid;
  int to_child;
  int from_child;
};

static int start_filter(struct filter *f, const char *prog)
{
  int in[2], out[2];
  if (pipe(in))
    return -1;
  if (pipe(out)) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if ((f->pid = fork()) == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    execlp(prog, prog, (char *)NULL);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  f->to_child = in[1];
  f->from_child = out[0];
  return 0;
}

static int feed(int fd, const char *buf, size_t len)
{
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static long roundtrip(const char *prog, const char *data, size_t len)
{
  struct filter f;
  char buf[4096];
  long got = 0;
  ssize_t n;

  if (start_filter(&f, prog) < 0)
    return -1;
  feed(f.to_child, data, len);
  close(f.to_child);
  while ((n = read(f.from_child, buf, sizeof buf)) > 0)
    got += n;
  close(f.from_child);
  waitpid(f.pid, NULL, 0);
  return got;
}

int main(int argc, char **argv)
{
  signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && !strcmp(argv[1], "roundtrip")) {
    size_t len = 1 << 20;
    char *data = malloc(len);
    memset(data, 'a', len);
    printf("%ld\n", roundtrip("cat", data, len));
    return 0;
  }
  if (argc > 1 && !strcmp(argv[1], "missing")) {
    /* The filter cannot start: its child exits 127 without output. */
    long got = roundtrip("pipe-tidy-no-such-filter", "abc\n", 4);
    printf("roundtrip of a filter that never ran returned %ld\n", got);
    return got == 0 ? 0 : 1;
  }
  return 2;
}

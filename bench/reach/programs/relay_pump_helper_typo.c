// reach: a relay between two pipes through a copy helper pump(from, to);
// the caller passes the upstream pipe's own write end as the destination
// (a[1] for b[1]), so the data goes round and round and the copy never ends.
// CROSSES: function boundary (copy loop in a helper)
// The copy's read to end-of-file never ends either (this process holds the
// write end it copies into): the same defect, one warning, pipe-self-copy's.
// EXPECT: pipe-self-copy relay|pump relay hang
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int pump(int from, int to)
{
  char buf[4096];
  ssize_t n;
  while ((n = read(from, buf, sizeof buf)) > 0) {
    char *p = buf;
    while (n > 0) {
      ssize_t w = write(to, p, (size_t)n);
      if (w < 0)
        return -1;
      p += w;
      n -= w;
    }
  }
  return n < 0 ? -1 : 0;
}

static int relay(int a[2], int b[2])
{
  if (write(a[1], "ping\n", 5) != 5)
    return -1;
  return pump(a[0], a[1]);    /* meant b[1] */
}

int main(int argc, char **argv)
{
  int a[2], b[2];
  if (argc < 2 || strcmp(argv[1], "relay"))
    return 2;
  if (pipe(a) || pipe(b))
    return 1;
  relay(a, b);
  return 0;
}

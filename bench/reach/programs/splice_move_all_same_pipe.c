// reach: move_all(in, out) moves data with splice(); a caller hands it the
// read and the write end of the same pipe, the kernel refuses (EINVAL) and
// nothing moves. The scenario exits 0 when the move failed with EINVAL.
// CROSSES: function boundary (splice in a helper)
// EXPECT: pipe-self-copy forward|move_all forward exit
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long move_all(int in, int out, size_t len)
{
  long moved = 0;
  while ((size_t)moved < len) {
    ssize_t n = splice(in, NULL, out, NULL, len - (size_t)moved, SPLICE_F_MOVE);
    if (n <= 0)
      return n < 0 ? -1 : moved;
    moved += n;
  }
  return moved;
}

struct stage {
  int fds[2];
};

static long forward(struct stage *s)
{
  write(s->fds[1], "payload", 7);
  return move_all(s->fds[0], s->fds[1], 7);
}

int main(int argc, char **argv)
{
  struct stage s;
  if (argc < 2 || strcmp(argv[1], "forward"))
    return 2;
  if (pipe(s.fds))
    return 1;
  long r = forward(&s);
  int e = errno;
  printf("forward: %ld (%s)\n", r, strerror(e));
  return r < 0 && e == EINVAL ? 0 : 1;
}

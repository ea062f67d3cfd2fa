// reach (near-miss): move_all(in, out) with splice() between two different
// pipes, as intended.
// EXPECT-NONE: pipe-self-copy
// PROOF: forward exit
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

int main(int argc, char **argv)
{
  int a[2], b[2];
  char out[8];
  if (argc < 2 || strcmp(argv[1], "forward"))
    return 2;
  if (pipe(a) || pipe(b))
    return 1;
  write(a[1], "payload", 7);
  long r = move_all(a[0], b[1], 7);
  return r == 7 && read(b[0], out, sizeof out) == 7 ? 0 : 1;
}

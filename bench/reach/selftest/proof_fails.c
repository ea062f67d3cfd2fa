// A positive whose scenario does not hang: the read end is read after the
// write end is closed. run.py must fail the proof and exit 1.
// CROSSES: none (runner self-test)
// EXPECT: pipe-self-deadlock main closes hang
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
  int p[2];
  char c;
  if (argc < 2 || strcmp(argv[1], "closes") || pipe(p))
    return 2;
  close(p[1]);
  return (int)read(p[0], &c, 1);
}

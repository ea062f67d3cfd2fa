// reach (near-miss): a lambda pump(from, to) relays from one pipe into
// another; the producer's write end is closed first, so the copy ends.
// EXPECT-NONE: pipe-self-copy
// EXPECT-NONE: pipe-self-deadlock
// PROOF: relay exit
#include <string>
#include <unistd.h>

int main(int argc, char **argv) {
  int up[2], down[2];
  if (argc < 2 || std::string(argv[1]) != "relay")
    return 2;
  if (pipe(up) || pipe(down))
    return 1;
  auto pump = [](int from, int to) {
    char buf[512];
    ssize_t n;
    while ((n = read(from, buf, sizeof buf)) > 0)
      if (write(to, buf, static_cast<size_t>(n)) != n)
        return false;
    return n == 0;
  };
  (void)!write(up[1], "frame\n", 6);
  close(up[1]);
  bool ok = pump(up[0], down[1]);
  close(up[0]);
  close(down[1]);
  char out[16];
  ssize_t got = read(down[0], out, sizeof out);
  close(down[0]);
  return ok && got == 6 ? 0 : 1;
}

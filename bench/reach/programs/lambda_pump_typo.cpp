// reach: a lambda pump(from, to) copies one descriptor into another; the
// tee stage calls it with the source pipe's own write end as the target,
// so the copy never ends.
// CROSSES: lambda boundary (copy loop in a lambda called with the ends)
// The copy's read to end-of-file never ends either (this process holds the
// write end it copies into): the same defect, one warning, pipe-self-copy's.
// EXPECT: pipe-self-copy tee_stage tee hang
#include <array>
#include <string>
#include <unistd.h>

static int tee_stage(std::array<int, 2> &src, std::array<int, 2> &dst) {
  auto pump = [](int from, int to) -> long {
    char buf[1024];
    long total = 0;
    for (;;) {
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0)
        return n < 0 ? -1 : total;
      if (::write(to, buf, static_cast<size_t>(n)) != n)
        return -1;
      total += n;
    }
  };
  (void)!::write(src[1], "frame\n", 6);
  return pump(src[0], src[1]) < 0 ? -1 : 0;   // meant dst[1]
}

int main(int argc, char **argv) {
  std::array<int, 2> a, b;
  if (argc < 2 || std::string(argv[1]) != "tee")
    return 2;
  if (::pipe(a.data()) || ::pipe(b.data()))
    return 1;
  return tee_stage(a, b) == 0 ? 0 : 1;
}

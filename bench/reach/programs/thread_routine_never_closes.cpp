// reach: make_pipe() returns the ends as a pair; produce(), the writer
// thread's function, writes its lines but never closes the write end it
// was given, so the reader's loop never sees end-of-file.
// CROSSES: function boundary (thread function given the end); return value (pair from a wrapper)
// EXPECT: pipe-unclosed-write-end produce|collect collect hang
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <unistd.h>

static std::pair<int, int> make_pipe() {
  int fds[2];
  if (pipe(fds) < 0)
    return {-1, -1};
  return {fds[0], fds[1]};
}

static void produce(int out, int count) {
  for (int i = 0; i < count; ++i)
    dprintf(out, "line %d\n", i);
  // returns without close(out)
}

static std::string collect() {
  auto [rd, wr] = make_pipe();
  if (rd < 0)
    return {};
  std::thread t(produce, wr, 10);
  std::string all;
  char buf[128];
  ssize_t n;
  while ((n = read(rd, buf, sizeof buf)) > 0)
    all.append(buf, static_cast<size_t>(n));
  t.join();
  close(rd);
  return all;
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "collect") {
    std::fputs(collect().c_str(), stdout);
    return 0;
  }
  return 2;
}

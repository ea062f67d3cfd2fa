// reach: start_export() returns the std::async future of a writer task;
// the caller reads to end-of-file and lets the future go without get(),
// so the task's exception (a failed export) is thrown away and the partial
// output is used as complete. The scenario exits 0 when that happens.
// CROSSES: return value (future returned from a helper)
// EXPECT: pipe-writer-error-ignored dump_table dump exit
#include <future>
#include <stdexcept>
#include <string>
#include <cstdio>
#include <unistd.h>

static std::future<void> start_export(int fd, int rows) {
  return std::async(std::launch::async, [fd, rows] {
    for (int i = 0; i < rows; ++i) {
      if (i == 7) {
        close(fd);
        throw std::runtime_error("lost connection to the database");
      }
      dprintf(fd, "%d,row-%d\n", i, i);
    }
    close(fd);
  });
}

static std::string dump_table(int rows) {
  int p[2];
  if (pipe(p) != 0)
    return {};
  std::future<void> done = start_export(p[1], rows);
  std::string csv;
  char buf[512];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    csv.append(buf, static_cast<size_t>(n));
  close(p[0]);
  return csv;                 // `done` is destroyed without get()
}

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "dump")
    return 2;
  std::string csv = dump_table(20);
  size_t lines = 0;
  for (char c : csv)
    lines += c == '\n';
  std::printf("dump_table gave %zu of 20 rows and no error\n", lines);
  return lines < 20 ? 0 : 1;
}

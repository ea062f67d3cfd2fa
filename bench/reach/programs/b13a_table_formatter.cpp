// A table formatter that renders rows on a background std::thread and
// streams the text through a pipe to the caller, which collects it all.
// TableFormatter::render() makes the pipe, starts the writer thread with a
// by-reference lambda, and reads the other end until end-of-file.
// BUG: the writer lambda writes every row to fds[1] but never closes it, and
// nothing else does before render() reads fds[0] to end-of-file; the read
// never sees EOF, so render() hangs after the last row.
// EXPECT: pipe-unclosed-write-end render|readToEnd rows hang
// CROSSES: the write end is used inside a [&] lambda run by std::thread, and the read to end-of-file is in the helper readToEnd()
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Row {
  std::string name;
  int count;
  double ratio;
};

static bool writeAll(int fd, const std::string &s) {
  const char *p = s.data();
  size_t n = s.size();
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

static bool readToEnd(int fd, std::string &out) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0)
      return true;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

class TableFormatter {
public:
  explicit TableFormatter(int width) : width_(width) {}

  bool render(const std::vector<Row> &rows, std::string &text) {
    int fds[2];
    if (pipe(fds) < 0) {
      perror("pipe");
      return false;
    }
    bool writeOk = true;
    std::thread writer([&] {
      writeOk = writeAll(fds[1], formatHeader());
      for (const Row &r : rows) {
        if (!writeOk)
          break;
        writeOk = writeAll(fds[1], formatRow(r));
      }
    });
    bool readOk = readToEnd(fds[0], text);
    writer.join();
    close(fds[0]);
    return readOk && writeOk;
  }

private:
  std::string formatHeader() const {
    char line[128];
    snprintf(line, sizeof line, "%-*s %8s %8s\n", width_, "name", "count",
             "ratio");
    return line;
  }

  std::string formatRow(const Row &r) const {
    char line[256];
    snprintf(line, sizeof line, "%-*s %8d %8.3f\n", width_, r.name.c_str(),
             r.count, r.ratio);
    return line;
  }

  int width_;
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s rows\n", argv[0]);
    return 2;
  }
  std::vector<Row> rows;
  for (int i = 0; i < 50; ++i)
    rows.push_back({"item-" + std::to_string(i), i * 3, i / 7.0});
  TableFormatter fmt(16);
  std::string text;
  if (strcmp(argv[1], "rows") == 0) {
    if (!fmt.render(rows, text)) {
      fprintf(stderr, "render failed\n");
      return 1;
    }
    fputs(text.c_str(), stdout);
    return 0;
  }
  fprintf(stderr, "unknown scenario %s\n", argv[1]);
  return 2;
}

// CSV exporter: a writer task (std::async) serializes the rows of a table into
// a pipe while the calling thread reads the pipe and assembles the export.
// BUG: TableExporter::run() waits for the writer future with wait() and never
// looks at the bool the writer returns. When serializeRows() stops at a row it
// cannot encode, it closes its end and returns false; run() sees a normal
// end-of-file and returns the truncated text as a successful export.
// The "badrow" scenario exits 0 when it sees truncated output reported as
// success.
// EXPECT: pipe-writer-error-ignored run|exportTable badrow exit
// CROSSES: the writer's result comes from the member serializeRows() inside a lambda handed to std::async; the future is a local of run(), which returns std::optional to exportTable()
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Row {
  std::string sku;
  std::string name;
  int qty;
};

class TableExporter {
 public:
  explicit TableExporter(std::vector<Row> rows) : rows_(std::move(rows)) {}

  std::optional<std::string> run() {
    int fds[2];
    if (pipe(fds) != 0) return std::nullopt;
    int wfd = fds[1];
    auto writer = std::async(std::launch::async, [this, wfd] {
      bool ok = serializeRows(wfd);
      close(wfd);
      return ok;
    });
    std::string csv;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) csv.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    writer.wait();
    return csv;
  }

 private:
  static bool encodeField(const std::string &in, std::string &out) {
    for (char c : in)
      if (c == '\n' || c == '\r') return false;  // multi-line fields are unsupported
    if (in.find_first_of(",\"") == std::string::npos) {
      out += in;
      return true;
    }
    out += '"';
    for (char c : in) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
    return true;
  }

  bool serializeRows(int fd) const {
    for (const Row &r : rows_) {
      std::string line;
      if (!encodeField(r.sku, line)) return false;
      line += ',';
      if (!encodeField(r.name, line)) return false;
      line += ',' + std::to_string(r.qty) + '\n';
      if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return false;
    }
    return true;
  }

  std::vector<Row> rows_;
};

std::optional<std::string> exportTable(const std::vector<Row> &rows) {
  TableExporter exporter(rows);
  return exporter.run();
}

std::vector<Row> sampleRows(bool withBadRow) {
  std::vector<Row> rows;
  for (int i = 0; i < 200; ++i) {
    std::string name = "Widget, size " + std::to_string(i % 9);
    if (withBadRow && i == 120) name = "Widget\nsecond line";
    rows.push_back({"W-" + std::to_string(1000 + i), name, (i * 13) % 70});
  }
  return rows;
}

size_t countLines(const std::string &s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "normal";
  if (scenario != "normal" && scenario != "badrow") {
    std::fprintf(stderr, "usage: %s normal|badrow\n", argv[0]);
    return 2;
  }
  std::vector<Row> rows = sampleRows(scenario == "badrow");
  std::optional<std::string> csv = exportTable(rows);
  if (!csv) {
    std::printf("export failed\n");
    return 1;
  }
  size_t lines = countLines(*csv);
  std::printf("exported %zu of %zu rows\n", lines, rows.size());
  if (scenario == "normal") return lines == rows.size() ? 0 : 1;
  // badrow: the export claims success although rows are missing
  return lines < rows.size() ? 0 : 1;
}

// Report generator: renders the sections of an inventory report into an
// in-process spool (a pipe owned by the RAII class ReportSpool) and reads the
// spool back to assemble the final text.
// BUG: ReportBuilder::build() appends every rendered section to the spool
// (ReportSpool::append writes into the pipe) and only drains it after the last
// section, all on the same thread. A report larger than the pipe capacity
// (64 KiB) blocks in write() forever: the only reader is the blocked thread.
// EXPECT: pipe-self-deadlock build|append|build_report large hang
// CROSSES: the pipe is made in the constructor through make_spool_pipe(), written in the member append() and read in drain(), both reached through a std::unique_ptr in build(); the amount written depends on the caller's section list
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Section {
  std::string title;
  std::vector<std::string> rows;
};

void make_spool_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
}

class ReportSpool {
 public:
  ReportSpool() { make_spool_pipe(fds_); }
  ~ReportSpool() {
    if (fds_[0] >= 0) close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  ReportSpool(const ReportSpool &) = delete;
  ReportSpool &operator=(const ReportSpool &) = delete;

  void append(const std::string &text) {
    const char *p = text.data();
    size_t left = text.size();
    while (left > 0) {
      ssize_t n = write(fds_[1], p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(std::string("spool write: ") + std::strerror(errno));
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

  void seal() {
    close(fds_[1]);
    fds_[1] = -1;
  }

  std::string drain() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds_[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

class ReportBuilder {
 public:
  explicit ReportBuilder(std::string title) : title_(std::move(title)) {}
  void add(Section s) { sections_.push_back(std::move(s)); }

  std::string build() {
    auto spool = std::make_unique<ReportSpool>();
    spool->append("== " + title_ + " ==\n");
    for (const Section &s : sections_) spool->append(render(s));
    spool->seal();
    return spool->drain();
  }

 private:
  static std::string render(const Section &s) {
    std::string text = "-- " + s.title + " (" + std::to_string(s.rows.size()) + " rows)\n";
    for (const std::string &row : s.rows) text += "  " + row + "\n";
    return text;
  }

  std::string title_;
  std::vector<Section> sections_;
};

Section warehouse(const char *name, int items) {
  Section s{name, {}};
  for (int i = 0; i < items; ++i) {
    char row[96];
    std::snprintf(row, sizeof row, "SKU-%06d  qty=%4d  bin=%c%02d  status=in-stock", i,
                  (i * 37) % 1000, 'A' + i % 6, i % 40);
    s.rows.emplace_back(row);
  }
  return s;
}

std::string build_report(int items_per_site) {
  ReportBuilder builder("weekly inventory");
  builder.add(warehouse("north", items_per_site));
  builder.add(warehouse("south", items_per_site));
  builder.add(warehouse("harbour", items_per_site));
  return builder.build();
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "normal";
  int items;
  if (scenario == "normal") items = 40;           // about 8 KiB
  else if (scenario == "large") items = 1500;     // about 300 KiB
  else {
    std::fprintf(stderr, "usage: %s normal|large\n", argv[0]);
    return 2;
  }
  std::string report = build_report(items);
  std::printf("report: %zu bytes\n", report.size());
  return 0;
}

// Service manager: renders unit configuration files. The section writer is an
// old fd-based routine (writeSection), so rendered text is captured through a
// pipe held by the RAII class CapturePipe and read back as a string.
// CORRECT (near-miss): renderUnit() picks the strategy from the exact
// rendered size. A small unit (under 16 KiB, well below the pipe buffer) is
// written by the calling thread, which then calls closeWrite() before
// readAll() reads to end-of-file. A large unit is written by a std::jthread
// that closes the write end when done, while the calling thread drains the
// pipe; the jthread is joined at the end of the scope, after the reader saw
// end-of-file.
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: big exit
// STD: c++20
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace {

struct Section {
  std::string name;
  std::vector<std::pair<std::string, std::string>> keys;
};

std::string formatSection(const Section &s) {
  std::string text = "[" + s.name + "]\n";
  for (const auto &[k, v] : s.keys) text += k + "=" + v + "\n";
  return text + "\n";
}

// legacy writer shared with the C daemon: renders one section to fd
bool writeSection(int fd, const Section &s) {
  std::string text = formatSection(s);
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

class CapturePipe {
 public:
  CapturePipe() {
    int fds[2];
    if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    rd_ = fds[0];
    wr_ = fds[1];
  }
  ~CapturePipe() {
    closeWrite();
    if (rd_ >= 0) close(rd_);
  }
  CapturePipe(const CapturePipe &) = delete;
  CapturePipe &operator=(const CapturePipe &) = delete;

  int writeFd() const { return wr_; }

  void closeWrite() {
    if (wr_ >= 0) close(wr_);
    wr_ = -1;
  }

  std::string readAll() {
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = read(rd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int rd_ = -1;
  int wr_ = -1;
};

constexpr size_t kInlineLimit = 16 * 1024;

std::string renderInline(const std::vector<Section> &sections) {
  CapturePipe cap;
  for (const Section &s : sections) writeSection(cap.writeFd(), s);
  cap.closeWrite();
  return cap.readAll();
}

std::string renderThreaded(const std::vector<Section> &sections) {
  CapturePipe cap;
  std::jthread writer([&] {
    for (const Section &s : sections)
      if (!writeSection(cap.writeFd(), s)) break;
    cap.closeWrite();
  });
  return cap.readAll();
}

std::string renderUnit(const std::vector<Section> &sections) {
  size_t size = 0;
  for (const Section &s : sections) size += formatSection(s).size();
  return size < kInlineLimit ? renderInline(sections) : renderThreaded(sections);
}

std::vector<Section> makeUnit(size_t envVars) {
  std::vector<Section> unit = {
      {"Unit", {{"Description", "Search indexer"}, {"After", "network-online.target"}}},
      {"Service", {{"ExecStart", "/usr/bin/indexer --config /etc/indexer.toml"}, {"Restart", "on-failure"}}},
      {"Install", {{"WantedBy", "multi-user.target"}}}};
  for (size_t i = 0; i < envVars; ++i)
    unit[1].keys.push_back({"Environment", "INDEXER_SHARD_" + std::to_string(i) + "=/srv/index/shard-" + std::to_string(i)});
  return unit;
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "small";
  size_t envVars;
  if (scenario == "small")
    envVars = 10;
  else if (scenario == "big")
    envVars = 4000;  // about 230 KiB of configuration
  else {
    std::fprintf(stderr, "usage: %s small|big\n", argv[0]);
    return 2;
  }
  std::vector<Section> unit = makeUnit(envVars);
  std::string expected;
  for (const Section &s : unit) expected += formatSection(s);
  std::string text = renderUnit(unit);
  std::printf("%s: rendered %zu bytes, %s\n", scenario.c_str(), text.size(), text == expected ? "ok" : "MISMATCH");
  return text == expected ? 0 : 1;
}

// reach: a package tool lists an archive's manifest. Unpacker::start()
// gets a pipe from make_pipe() (a struct returned by value), starts a
// std::thread whose lambda captures the write end and streams the listing
// into it, and returns an Unpacker owning the thread and the read end.
// read_manifest() checks the header line and returns early when the
// manifest version is one it does not know; ~Unpacker() then joins the
// writer before it closes the read end. The writer is blocked in write()
// on a full pipe that nobody reads any more, so rejecting an old archive
// hangs the tool instead of printing an error.
// CROSSES: return value (the Unpacker owning the writer thread comes back from a factory); ~Destructor (the join and the close happen in the destructor at the early return); lambda capture (the thread writes the end it captured)
// EXPECT: pipe-leaked-writer read_manifest|~Unpacker oldversion hang
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Entry {
  std::string path;
  long size;
  unsigned mode;
};

struct Archive {
  int version;
  std::vector<Entry> entries;
};

struct PipeEnds {
  int rd = -1;
  int wr = -1;
};

static std::optional<PipeEnds> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return std::nullopt;
  return PipeEnds{p[0], p[1]};
}

static bool put(int fd, const std::string& s) {
  for (size_t off = 0; off < s.size();) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

class Unpacker {
 public:
  static std::optional<Unpacker> start(const Archive& ar) {
    auto p = make_pipe();
    if (!p) return std::nullopt;
    int wr = p->wr;
    std::thread t([&ar, wr] {
      char line[512];
      std::snprintf(line, sizeof line, "PKGMANIFEST v%d %zu\n", ar.version, ar.entries.size());
      bool ok = put(wr, line);
      for (size_t i = 0; ok && i < ar.entries.size(); i++) {
        const Entry& e = ar.entries[i];
        std::snprintf(line, sizeof line, "%06o %10ld %s\n", e.mode, e.size, e.path.c_str());
        ok = put(wr, line);
      }
      ::close(wr);
    });
    return Unpacker(p->rd, std::move(t));
  }

  Unpacker(Unpacker&& o) noexcept : rd_(o.rd_), writer_(std::move(o.writer_)), len_(o.len_) {
    o.rd_ = -1;
    std::memcpy(buf_, o.buf_, len_);
  }
  ~Unpacker() {
    if (writer_.joinable()) writer_.join();
    if (rd_ >= 0) ::close(rd_);
  }

  // Next line without its newline; false at end-of-file.
  bool next_line(std::string& out) {
    out.clear();
    for (;;) {
      if (char* nl = static_cast<char*>(std::memchr(buf_, '\n', len_))) {
        size_t n = static_cast<size_t>(nl - buf_);
        out.append(buf_, n);
        std::memmove(buf_, nl + 1, len_ - n - 1);
        len_ -= n + 1;
        return true;
      }
      out.append(buf_, len_);
      len_ = 0;
      ssize_t n = ::read(rd_, buf_, sizeof buf_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return !out.empty();
      len_ = static_cast<size_t>(n);
    }
  }

 private:
  Unpacker(int rd, std::thread t) : rd_(rd), writer_(std::move(t)) {}
  int rd_;
  std::thread writer_;
  char buf_[4096];
  size_t len_ = 0;
};

static std::optional<std::vector<std::string>> read_manifest(const Archive& ar) {
  auto u = Unpacker::start(ar);
  if (!u) return std::nullopt;
  std::string line;
  int version = 0;
  if (!u->next_line(line) || std::sscanf(line.c_str(), "PKGMANIFEST v%d", &version) != 1)
    return std::nullopt;
  if (version != 2) {
    std::fprintf(stderr, "manifest version %d not supported\n", version);
    return std::nullopt;
  }
  std::vector<std::string> paths;
  while (u->next_line(line))
    if (line.size() > 18) paths.push_back(line.substr(18));
  return paths;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string which = argv[1];
  if (which != "current" && which != "oldversion") return 2;
  std::signal(SIGPIPE, SIG_IGN);
  Archive ar{which == "current" ? 2 : 1, {}};
  for (int i = 0; i < 5000; i++)
    ar.entries.push_back({"usr/share/doc/pkg/examples/file" + std::to_string(i) + ".txt",
                          1024L * (i % 97), 0100644});
  auto paths = read_manifest(ar);
  if (which == "oldversion") return paths ? 1 : 0;
  std::printf("%zu entries\n", paths ? paths->size() : 0);
  return paths && paths->size() == ar.entries.size() ? 0 : 1;
}

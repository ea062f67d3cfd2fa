// reach: merge_shards() starts one std::async writer per shard file; each
// gets its own dup() of the write end and copies its file's lines into
// the pipe. A shard that cannot be opened makes emit_shard() throw; the
// exception is stored in that job's future, but the futures are only
// wait()ed on and then dropped with the vector, never .get(): the caller
// gets a merged stream missing a whole shard and "true".
// CROSSES: container of futures (std::vector<std::future<void>> never .get()); function boundary (writer is a helper run by std::async)
// EXPECT: pipe-writer-error-ignored merge_shards missing-shard exit
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

void emit_shard(int fd, std::string path) {
  FdCloser guard{fd};
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot open shard " + path);
  std::string line;
  while (std::getline(in, line)) {
    line += '\n';
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw std::runtime_error("short write");
  }
}

bool merge_shards(const std::vector<std::string> &paths, std::string &merged) {
  int p[2];
  if (::pipe(p) != 0)
    return false;
  std::vector<std::future<void>> jobs;
  for (const auto &path : paths)
    jobs.push_back(std::async(std::launch::async, emit_shard, ::dup(p[1]), path));
  ::close(p[1]);

  char buf[4096];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof buf)) > 0)
    merged.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  for (auto &job : jobs)
    job.wait();
  return n == 0;
}

std::string make_shard(const char *tag, int lines) {
  char path[] = "/tmp/shardXXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0)
    std::exit(3);
  for (int i = 0; i < lines; ++i)
    ::dprintf(fd, "%s %d\n", tag, i);
  ::close(fd);
  return path;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) != "missing-shard")
    return 2;
  std::vector<std::string> paths = {make_shard("a", 100), "/nonexistent/shard-b",
                                    make_shard("c", 100)};
  std::string merged;
  bool ok = merge_shards(paths, merged);
  ::unlink(paths[0].c_str());
  ::unlink(paths[2].c_str());
  size_t lines = 0;
  for (char c : merged)
    lines += c == '\n';
  std::printf("merge_shards: %s, %zu lines\n", ok ? "ok" : "failed", lines);
  // The symptom: shard b's failure never reached the caller.
  return ok && lines == 200 ? 0 : 1;
}

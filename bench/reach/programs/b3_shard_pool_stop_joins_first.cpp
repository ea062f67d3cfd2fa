// reach: a catalog importer reads shards through ShardPool, which keeps a
// std::vector of workers (read end + std::thread) as a member. start()
// makes one pipe per shard and starts a producer thread on each; stop()
// joins every worker and only then closes the read ends. import_catalog()
// checks each shard's magic and, on a corrupt shard, calls stop() and
// returns: the producers of the unread shards are blocked on full pipes,
// and the join waits for them forever.
// CROSSES: class member (std::vector of workers started in start(), joined in stop()); container of threads; function boundary (the reader gives up in the caller, the join is in a method)
// EXPECT: pipe-leaked-writer import_catalog|stop corrupt hang
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Shard {
  std::string name;
  int rows;
  bool corrupt;
};

class ShardPool {
public:
  ShardPool() = default;
  ShardPool(const ShardPool &) = delete;
  ShardPool &operator=(const ShardPool &) = delete;
  ~ShardPool() { stop(); }

  void start(const std::vector<Shard> &shards) {
    for (const Shard &s : shards) {
      int fds[2];
      if (::pipe(fds) != 0)
        throw std::runtime_error("pipe failed for " + s.name);
      Worker w;
      w.name = s.name;
      w.rd = fds[0];
      w.thread = std::thread(&ShardPool::produce, s, fds[1]);
      workers_.push_back(std::move(w));
    }
  }

  size_t size() const { return workers_.size(); }
  int reader(size_t i) const { return workers_[i].rd; }
  const std::string &name(size_t i) const { return workers_[i].name; }

  void stop() {
    for (Worker &w : workers_)
      if (w.thread.joinable())
        w.thread.join();
    for (Worker &w : workers_)
      if (w.rd >= 0)
        ::close(w.rd);
    workers_.clear();
  }

private:
  struct Worker {
    std::string name;
    int rd = -1;
    std::thread thread;
  };

  static void produce(Shard s, int wr) {
    const char *magic = s.corrupt ? "\x1f\x8b\x08\x00" : "SHRD";
    if (::write(wr, magic, 4) == 4) {
      for (int i = 0; i < s.rows; ++i)
        if (::dprintf(wr, "%s,%d,item-%d\n", s.name.c_str(), i, i * 7) < 0)
          break;
    }
    ::close(wr);
  }

  std::vector<Worker> workers_;
};

static bool read_full(int fd, char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::read(fd, buf + got, len - got);
    if (n <= 0)
      return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

static long count_rows(int fd) {
  char buf[8192];
  long rows = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i)
      rows += buf[i] == '\n';
  return rows;
}

static bool import_catalog(const std::vector<Shard> &shards, long &rows) {
  ShardPool pool;
  pool.start(shards);
  for (size_t i = 0; i < pool.size(); ++i) {
    char magic[4];
    if (!read_full(pool.reader(i), magic, sizeof magic) ||
        std::memcmp(magic, "SHRD", 4) != 0) {
      std::fprintf(stderr, "import: shard %s: bad magic\n", pool.name(i).c_str());
      pool.stop();
      return false;
    }
    rows += count_rows(pool.reader(i));
  }
  pool.stop();
  return true;
}

int main(int argc, char **argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2)
    return 2;
  std::string scenario = argv[1];
  std::vector<Shard> shards = {
      {"eu", 40000, false}, {"us", 40000, false}, {"ap", 40000, false}};
  if (scenario == "corrupt")
    shards[1].corrupt = true;   /* ~0.8 MB per shard */
  else if (scenario != "clean")
    return 2;
  long rows = 0;
  bool ok = import_catalog(shards, rows);
  std::printf("%s, %ld rows\n", ok ? "imported" : "rejected", rows);
  return scenario == "clean" ? (ok && rows == 120000 ? 0 : 1) : (ok ? 1 : 0);
}

// Nightly database backup: runs the dump tool as a subprocess
// (posix_spawnp, wrapped in an RAII Subprocess class), streams its SQL from
// stdout into the backup set, and records how many tables it holds.
// BUG: Subprocess::readAll() reads the dump to end-of-file and
// ~Subprocess() reaps the tool, but nobody looks at its exit status. When the
// dump tool loses the connection halfway it prints an error, exits 1 and
// closes its stdout after the tables it has written; DumpJob::run() takes the
// end-of-file as the end of a complete dump and dumpDatabase() stores the
// truncated backup as good. The "lostconn" scenario exits 0 when the backup
// is accepted with tables missing.
// EXPECT: pipe-writer-error-ignored ~Subprocess|run|dumpDatabase lostconn exit
// CROSSES: the child is spawned in the Subprocess constructor with the read end in a member; the output is read in the member readAll() and the status is dropped in ~Subprocess(), both reached from DumpJob::run(), whose caller dumpDatabase() trusts the returned std::optional
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

extern char **environ;

namespace {

class Subprocess {
 public:
  explicit Subprocess(const std::vector<std::string> &args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    std::vector<char *> argv;
    for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    int err = posix_spawnp(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err != 0) {
      close(fds[0]);
      throw std::system_error(err, std::generic_category(), "posix_spawnp");
    }
    out_ = fds[0];
  }

  ~Subprocess() {
    if (out_ >= 0) close(out_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }

  Subprocess(const Subprocess &) = delete;
  Subprocess &operator=(const Subprocess &) = delete;

  std::string readAll() {
    std::string data;
    char buf[8192];
    for (;;) {
      ssize_t n = read(out_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

class DumpJob {
 public:
  DumpJob(std::string database, std::vector<std::string> tables, int failAfter)
      : database_(std::move(database)), tables_(std::move(tables)), failAfter_(failAfter) {}

  std::optional<std::string> run() {
    Subprocess dump({"sh", "-c", script(), "pg_dump"});
    std::string sql = dump.readAll();
    if (sql.empty()) return std::nullopt;
    return sql;
  }

 private:
  // stand-in for `pg_dump --table=... DATABASE`
  std::string script() const {
    std::string s = "echo '-- dump of " + database_ + "'; n=0; for t in";
    for (const std::string &t : tables_) s += " " + t;
    s += "; do if [ $n -eq " + std::to_string(failAfter_) +
         " ]; then echo 'pg_dump: error: connection to server lost' >&2; exit 1; fi; "
         "echo \"CREATE TABLE $t (id integer, payload text);\"; echo \"COPY $t FROM stdin;\"; "
         "seq -f \"%g\tpayload of $t\" 1 300; echo '\\.'; n=$((n+1)); done";
    return s;
  }

  std::string database_;
  std::vector<std::string> tables_;
  int failAfter_;
};

struct Backup {
  std::string sql;
  size_t tables = 0;
};

size_t countTables(const std::string &sql) {
  size_t n = 0;
  for (size_t pos = 0; (pos = sql.find("CREATE TABLE ", pos)) != std::string::npos; pos += 13) ++n;
  return n;
}

bool dumpDatabase(const std::string &db, const std::vector<std::string> &tables, int failAfter, Backup &out) {
  DumpJob job(db, tables, failAfter);
  std::optional<std::string> sql = job.run();
  if (!sql) return false;
  out.sql = std::move(*sql);
  out.tables = countTables(out.sql);
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  std::string scenario = argc > 1 ? argv[1] : "ok";
  if (scenario != "ok" && scenario != "lostconn") {
    std::fprintf(stderr, "usage: %s ok|lostconn\n", argv[0]);
    return 2;
  }
  const std::vector<std::string> tables = {"customers", "orders", "invoices", "payments", "audit_log"};
  Backup backup;
  bool ok = dumpDatabase("shop", tables, scenario == "ok" ? -1 : 3, backup);
  std::printf("%s: backup %s, %zu of %zu tables, %zu bytes\n", scenario.c_str(), ok ? "stored" : "failed",
              backup.tables, tables.size(), backup.sql.size());
  if (scenario == "ok") return ok && backup.tables == tables.size() ? 0 : 1;
  return ok && backup.tables < tables.size() ? 0 : 1;  // lostconn: truncated dump accepted
}

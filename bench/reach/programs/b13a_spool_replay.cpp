// An in-process spool: audit records are serialized into a pipe used as a
// byte queue, and later replayed in order by parsing everything queued.
// Writes go through writeRecord(), which reports failures with a message
// naming the descriptor number (snprintf/fprintf with "%d").
// BUG: replaySpool() reads the spool pipe to end-of-file with slurp() while
// the same thread still holds the spool's write end (never closed), so the
// read blocks forever once the queued records have been consumed.
// EXPECT: pipe-self-deadlock slurp|replaySpool audit hang
// CROSSES: the descriptor is passed to an error-reporting helper that only prints its number; the read to end-of-file is in the helper slurp()
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

struct AuditRecord {
  long seq;
  std::string user;
  std::string action;
};

static void reportIoError(const char *what, int fd) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s to fd %d failed: %s", what, fd,
           strerror(errno));
  fprintf(stderr, "spool: %s\n", msg);
}

static bool writeRecord(int fd, const AuditRecord &r) {
  char line[256];
  int len = snprintf(line, sizeof line, "%ld\t%s\t%s\n", r.seq,
                     r.user.c_str(), r.action.c_str());
  if (len < 0 || static_cast<size_t>(len) >= sizeof line) {
    fprintf(stderr, "spool: record %ld too long for fd %d\n", r.seq, fd);
    return false;
  }
  const char *p = line;
  size_t left = static_cast<size_t>(len);
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      reportIoError("write", fd);
      return false;
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  return true;
}

static std::string slurp(int fd) {
  std::string data;
  char buf[1024];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR)
        continue;
      reportIoError("read", fd);
      break;
    }
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

static int replaySpool(const std::vector<AuditRecord> &records) {
  int spool[2];
  if (pipe(spool) < 0) {
    perror("pipe");
    return -1;
  }
  size_t queued = 0;
  for (const AuditRecord &r : records) {
    if (!writeRecord(spool[1], r))
      break;
    ++queued;
  }
  fprintf(stderr, "spool: %zu records queued\n", queued);

  std::string all = slurp(spool[0]);
  int replayed = 0;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string::npos)
      break;
    printf("replay: %s\n", all.substr(pos, nl - pos).c_str());
    ++replayed;
    pos = nl + 1;
  }
  close(spool[0]);
  return replayed;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s audit\n", argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "audit") != 0) {
    fprintf(stderr, "unknown scenario %s\n", argv[1]);
    return 2;
  }
  std::vector<AuditRecord> records;
  const char *actions[] = {"login", "read", "update", "logout"};
  for (long i = 0; i < 40; ++i)
    records.push_back({i, "user" + std::to_string(i % 5), actions[i % 4]});
  int n = replaySpool(records);
  return n == static_cast<int>(records.size()) ? 0 : 1;
}

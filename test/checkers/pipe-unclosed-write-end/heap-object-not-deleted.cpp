// An object this function allocates (`new Spool`) holds both ends of a pipe
// in members that its destructor closes. A path that returns without
// `delete` leaks the object, and with it both descriptors: the warning
// says so and that the fix is to delete it on that path (its members are
// private; a close() of them cannot be written here, so there is no
// fix-it). The scenario counts the descriptors in /proc/self/fd: two more
// per failed call. The near misses delete the object on every path, or
// keep it in a std::unique_ptr, whose destruction runs the destructor.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s leak exit
// RUN: %run_example %s deleted exit

#include <dirent.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

class Spool {
public:
  Spool() {
    if (pipe(fds_) != 0)
      throw std::runtime_error("pipe");
  }
  ~Spool() {
    close(fds_[0]);
    close(fds_[1]);
  }
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  bool append(const char *text, size_t len) {
    return write(fds_[1], text, len) == ssize_t(len);
  }
  size_t take(char *buf, size_t cap) {
    ssize_t n = read(fds_[0], buf, cap);
    return n > 0 ? size_t(n) : 0;
  }

private:
  int fds_[2] = {-1, -1};
};

// The failure path returns without deleting the object.
long stage(const char *text, size_t len, bool reject) {
  Spool *spool = new Spool();
  if (!spool->append(text, len))
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stage' leaks the write end 'spool->fds_[1]' (and the read end 'spool->fds_[0]') of the pipe when it returns here, and more at 1 other place (see the notes); each call that takes one of these paths leaks them; delete 'spool' on each of these paths; its destructor closes them [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-4]]:18: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    // CHECK-MESSAGES: :[[@LINE+3]]:5: note: 'stage' also leaks the write end 'spool->fds_[1]' (and the read end 'spool->fds_[0]') of the pipe when it returns here
    // CHECK-MESSAGES: :[[@LINE+1]]:7: note: taking the true branch
  if (reject)
    return -1;
  char buf[64];
  long n = long(spool->take(buf, sizeof buf));
  delete spool;
  return n;
}

// Near-miss: deleted on every path.
long stage_deleted(const char *text, size_t len, bool reject) {
  Spool *spool = new Spool();
  long n = -1;
  if (spool->append(text, len) && !reject) {
    char buf[64];
    n = long(spool->take(buf, sizeof buf));
  }
  delete spool;
  return n;
}

// Near-miss: the std::unique_ptr destroys it on every path.
long stage_unique(const char *text, size_t len, bool reject) {
  auto spool = std::make_unique<Spool>();
  if (!spool->append(text, len) || reject)
    return -1;
  char buf[64];
  return long(spool->take(buf, sizeof buf));
}

static int count_fds() {
  int n = 0;
  if (DIR *d = opendir("/proc/self/fd")) {
    while (readdir(d))
      n++;
    closedir(d);
  }
  return n;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  int before = count_fds();
  if (s == "leak") {
    for (int i = 0; i < 3; i++)
      stage("row\n", 4, true);
    return count_fds() == before + 6 ? 0 : 1;
  }
  if (s == "deleted") {
    for (int i = 0; i < 3; i++) {
      stage_deleted("row\n", 4, true);
      stage_unique("row\n", 4, true);
    }
    return count_fds() == before && stage_deleted("row\n", 4, false) == 4 &&
                   stage_unique("row\n", 4, false) == 4
               ? 0
               : 1;
  }
  return 2;
}

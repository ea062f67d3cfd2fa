// pipe-leaked-writer where an object that owns a child process and the read
// end of its output is destroyed: its destructor, written by the user,
// waits for the child before it closes the read end. The caller read only
// part of the output (a header, lines up to the first match) through
// methods of the object; the child, with 1 MiB left to write, is blocked
// on the full pipe, and the destructor's wait never returns.
//
// The object comes from a constructor that forks, from a static factory
// returning it by value (with a move constructor that empties the source),
// or in a std::optional (`return std::nullopt;` when the pipe or the fork
// fails; used through `c->`), or from a helper function; it may keep a
// std::string buffer beside its
// descriptors, and the caller may ask it `ok()` before reading.
//
// Near misses, which finish: a destructor that closes the read end before
// its wait; a caller that reads until the reader says there is no more
// (`while (r.readLine(line))`); a caller that closes the read end itself.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s forking-ctor hang
// RUN: %run_example %s factory hang
// RUN: %run_example %s helper hang
// RUN: %run_example %s optional-factory hang
// RUN: %run_example %s optional-read-all exit
// RUN: %run_example %s close-first-dtor exit
// RUN: %run_example %s read-all exit
// RUN: %run_example %s caller-closes exit

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

int emitLines(int fd) {
  std::string text = "header v1\n";
  for (int i = 0; i < 20000; i++)
    text += "line " + std::to_string(i) + " of the listing, padded out\n";
  const char *p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return 1;
    p += n;
    left -= size_t(n);
  }
  return 0;
}

// One line, without its newline; false at end-of-file.
bool readLineFrom(int fd, std::string &buf, std::string &line) {
  for (;;) {
    size_t nl = buf.find('\n');
    if (nl != std::string::npos) {
      line.assign(buf, 0, nl);
      buf.erase(0, nl + 1);
      return true;
    }
    char chunk[512];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    buf.append(chunk, size_t(n));
  }
}

// The constructor forks; the destructor waits, then closes.
class Lister {
public:
  Lister() {
    int p[2];
    if (pipe(p) < 0)
      return;
    pid_ = fork();
    if (pid_ == 0) {
      close(p[0]);
      _exit(emitLines(p[1]));
    }
    close(p[1]);
    if (pid_ < 0) {
      close(p[0]);
      return;
    }
    fd_ = p[0];
  }
  Lister(const Lister &) = delete;
  ~Lister() {
    if (pid_ > 0)
      waitpid(pid_, nullptr, 0);
    if (fd_ >= 0)
      close(fd_);
  }
  bool readLine(std::string &line) {
    if (fd_ < 0)
      return false;
    for (;;) {
      size_t nl = buf_.find('\n');
      if (nl != std::string::npos) {
        line.assign(buf_, 0, nl);
        buf_.erase(0, nl + 1);
        return true;
      }
      char chunk[512];
      ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      buf_.append(chunk, size_t(n));
    }
  }
  void closeOutput() {
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
  }

private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
};

// A static factory and a move constructor; waits in a method it calls.
class Child {
public:
  static Child spawn() {
    int p[2];
    if (pipe(p) < 0)
      return Child(-1, -1);
    pid_t pid = fork();
    if (pid < 0) {
      close(p[0]);
      close(p[1]);
      return Child(-1, -1);
    }
    if (pid == 0) {
      close(p[0]);
      _exit(emitLines(p[1]));
    }
    close(p[1]);
    return Child(pid, p[0]);
  }
  // The same, or nothing when the pipe or the fork fails.
  static std::optional<Child> tryStart() {
    int p[2];
    if (pipe(p) < 0)
      return std::nullopt;
    pid_t pid = fork();
    if (pid < 0) {
      close(p[0]);
      close(p[1]);
      return std::nullopt;
    }
    if (pid == 0) {
      close(p[0]);
      _exit(emitLines(p[1]));
    }
    close(p[1]);
    return Child(pid, p[0]);
  }
  Child(Child &&o) noexcept : pid_(o.pid_), out_(o.out_) {
    o.pid_ = -1;
    o.out_ = -1;
  }
  ~Child() {
    reap();
    if (out_ >= 0)
      close(out_);
  }
  bool ok() const { return pid_ > 0; }
  bool header(std::string &line) { return readLineFrom(out_, buf_, line); }

private:
  Child(pid_t pid, int out) : pid_(pid), out_(out) {}
  void reap() {
    if (pid_ > 0)
      while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
    pid_ = -1;
  }
  pid_t pid_;
  int out_;
  std::string buf_;
};

// The same destructor order fixed: close, then wait.
class Tidy {
public:
  Tidy() {
    int p[2];
    if (pipe(p) < 0)
      return;
    pid_ = fork();
    if (pid_ == 0) {
      close(p[0]);
      _exit(emitLines(p[1]));
    }
    close(p[1]);
    fd_ = p[0];
  }
  ~Tidy() {
    if (fd_ >= 0)
      close(fd_);
    if (pid_ > 0)
      waitpid(pid_, nullptr, 0);
  }
  bool readLine(std::string &line) { return readLineFrom(fd_, buf_, line); }

private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
};

int forkingCtor() {
  Lister l;
  std::string line;
  if (!l.readLine(line))
    return 1;
  return line == "header v1" ? 0 : 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'l' waits for child process 'l.pid_' in its destructor when it is destroyed here, while the read end 'l.fd_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Lister', close the read end before the wait, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-137]]:3: note: '~Lister' waits for child process 'l.pid_' before it closes the read end
  // CHECK-MESSAGES: :[[@LINE-7]]:10: note: child process 'l.pid_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-8]]:10: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

int factory() {
  Child c = Child::spawn();
  if (!c.ok())
    return 1;
  std::string line;
  bool got = c.header(line);
  std::printf("%s\n", got ? line.c_str() : "(none)");
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' waits for child process 'c.pid_' in its destructor when it is destroyed here, while the read end 'c.out_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Child', close the read end before the wait, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-72]]:3: note: '~Child' waits for child process 'c.pid_' before it closes the read end
  // CHECK-MESSAGES: :[[@LINE-9]]:13: note: child process 'c.pid_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-10]]:13: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: taking the true branch
}

int optionalFactory() {
  std::optional<Child> c = Child::tryStart();
  if (!c || !c->ok())
    return 1;
  std::string line;
  if (!c->header(line))
    return 1;
  return line == "header v1" ? 0 : 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c' waits for child process 'c->pid_' in its destructor when it is destroyed here, while the read end 'c->out_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Child', close the read end before the wait, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE-87]]:3: note: '~Child' waits for child process 'c->pid_' before it closes the read end
  // CHECK-MESSAGES: :[[@LINE-9]]:28: note: child process 'c->pid_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-10]]:28: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the false branch
}

// Reads every line: the destructor's wait finds the child done.
int optionalReadAll() {
  std::optional<Child> c = Child::tryStart();
  if (!c)
    return 1;
  std::string line;
  long n = 0;
  while (c->header(line))
    n++;
  return n > 20000 ? 0 : 1;
}

// The first line that mentions the needle.
bool findLine(const char *needle, std::string &out) {
  Lister l;
  std::string line;
  while (l.readLine(line)) {
    if (line.find(needle) != std::string::npos) {
      out = line;
      return true;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'l' waits for child process 'l.pid_' in its destructor when it is destroyed here, while the read end 'l.fd_' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; in '~Lister', close the read end before the wait, so that the writer fails with EPIPE [pipe-leaked-writer]
      // CHECK-MESSAGES: :[[@LINE-194]]:3: note: '~Lister' waits for child process 'l.pid_' before it closes the read end
      // CHECK-MESSAGES: :[[@LINE-8]]:10: note: child process 'l.pid_' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
      // CHECK-MESSAGES: :[[@LINE-9]]:10: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-7]]:9: note: taking the true branch
    }
  }
  return false;
}

int helper() {
  std::string line;
  return findLine("line 5 ", line) ? 0 : 1;
}

int closeFirstDtor() {
  Tidy t;
  std::string line;
  return t.readLine(line) ? 0 : 1;
}

int readAll() {
  Lister l;
  std::string line;
  long n = 0;
  while (l.readLine(line))
    n++;
  std::printf("%ld lines\n", n);
  return 0;
}

int callerCloses() {
  Lister l;
  std::string line;
  bool got = l.readLine(line);
  l.closeOutput();
  return got ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  std::signal(SIGPIPE, SIG_IGN);
  if (!std::strcmp(s, "forking-ctor"))
    return forkingCtor();
  if (!std::strcmp(s, "factory"))
    return factory();
  if (!std::strcmp(s, "helper"))
    return helper();
  if (!std::strcmp(s, "optional-factory"))
    return optionalFactory();
  if (!std::strcmp(s, "optional-read-all"))
    return optionalReadAll();
  if (!std::strcmp(s, "close-first-dtor"))
    return closeFirstDtor();
  if (!std::strcmp(s, "read-all"))
    return readAll();
  if (!std::strcmp(s, "caller-closes"))
    return callerCloses();
  std::fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// Exceptions handled correctly: pipe-unclosed-write-end must stay silent
// here. The write end is held by an owner whose destructor closes it (a
// class, std::unique_ptr with a closing deleter, a scope guard lambda), a
// handler closes it, the handler that surely catches the exception's type
// closes it, the callee catches its own exception, the function was handed
// the end (its caller still has it), a constructor keeps it in a member
// that closes it. Every scenario makes the code throw and then reads the
// pipe to the end, which comes.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s raii-class exit
// RUN: %run_example %s unique-ptr exit
// RUN: %run_example %s scope-guard exit
// RUN: %run_example %s catch-close-rethrow exit
// RUN: %run_example %s typed-handler exit
// RUN: %run_example %s derived-handler exit
// RUN: %run_example %s catch-all exit
// RUN: %run_example %s no-fall-off exit
// RUN: %run_example %s caught-inside exit
// RUN: %run_example %s parameter exit
// RUN: %run_example %s member-owner exit
// RUN: %run_example %s ctor-closes exit
// RUN: %run_example %s noexcept exit

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <unistd.h>

// Reads fd until end-of-file; returns how many bytes it read.
static size_t drain(int fd) {
  char buf[4096];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += static_cast<size_t>(n);
  return total;
}

// Job names are plain file names.
static void check_name(const std::string &name) {
  if (name.find('/') != std::string::npos)
    throw std::runtime_error("job name with a '/': " + name);
}

// Owns a descriptor and closes it when it goes out of scope.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

// ---- owners whose destructors close the end during unwinding -------------

void job_raii(const std::string &name, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  *rfd = fds[0];
  UniqueFd writer(fds[1]);
  check_name(name);
  write(writer.get(), name.data(), name.size());
}

struct CloseFd {
  void operator()(int *fd) const {
    close(*fd);
    delete fd;
  }
};

void job_unique_ptr(const std::string &name, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  *rfd = fds[0];
  std::unique_ptr<int, CloseFd> writer(new int(fds[1]));
  check_name(name);
  write(*writer, name.data(), name.size());
}

// Runs a function when the scope ends, however it ends.
template <typename F> class ScopeExit {
public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ScopeExit(const ScopeExit &) = delete;
  ~ScopeExit() { f_(); }

private:
  F f_;
};

void job_scope_guard(const std::string &name, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  *rfd = fds[0];
  ScopeExit guard([&fds] { close(fds[1]); });
  check_name(name);
  write(fds[1], name.data(), name.size());
}

// ---- handlers that close ----------------------------------------------------

void job_rethrow(const std::string &name, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  *rfd = fds[0];
  try {
    check_name(name);
  } catch (...) {
    close(fds[1]);
    throw;
  }
  write(fds[1], name.data(), name.size());
  close(fds[1]);
}

// check_name() throws std::runtime_error only: this handler surely catches
// it, nothing leaves the function with the end open.
int job_typed(const std::string &name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  try {
    check_name(name);
  } catch (const std::runtime_error &) {
    close(fds[1]);
    return fds[0];
  }
  write(fds[1], name.data(), name.size());
  close(fds[1]);
  return fds[0];
}

struct Timeout : std::runtime_error {
  Timeout() : std::runtime_error("timeout") {}
};

static void await_service(bool slow) {
  if (slow)
    throw Timeout();
}

// A handler for a base class catches the derived exception.
int status_base(bool slow) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  try {
    await_service(slow);
  } catch (const std::exception &) {
    close(fds[1]);
    return fds[0];
  }
  write(fds[1], "up\n", 3);
  close(fds[1]);
  return fds[0];
}

// The exception is swallowed; the end is closed after the try.
int job_catch_all(const std::string &name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  try {
    check_name(name);
    write(fds[1], name.data(), name.size());
  } catch (...) {
  }
  close(fds[1]);
  return fds[0];
}

struct BadRecord {
  std::string what;
};

// A throw inside a try whose handler does not catch everything: the path
// that the CFG sends past the handlers does not fall off the end.
void records_pipe(const std::vector<std::string> &records, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  try {
    for (const std::string &r : records) {
      if (r.empty())
        throw BadRecord{"empty record"};
      write(fds[1], r.data(), r.size());
    }
  } catch (const BadRecord &) {
    close(fds[1]);
    return;
  }
  close(fds[1]);
}

// ---- what the function cannot be blamed for --------------------------------

// Catches its own exception: calling it does not throw.
static bool valid_name(const std::string &name) {
  try {
    check_name(name);
    return true;
  } catch (const std::exception &) {
    return false;
  }
}

int job_checked(const std::string &name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  bool ok = valid_name(name);
  if (ok)
    write(fds[1], name.data(), name.size());
  close(fds[1]);
  return fds[0];
}

// Handed the write end: when check_name() throws, the caller still has it
// and closes it.
void send_job(int wfd, const std::string &name) {
  check_name(name);
  write(wfd, name.data(), name.size());
  close(wfd);
}

static void log_start(const std::string &name) noexcept {
  std::fprintf(stderr, "starting %s\n", name.c_str());
}

int job_noexcept(const std::string &name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  log_start(name);
  write(fds[1], name.data(), name.size());
  close(fds[1]);
  return fds[0];
}

// ---- constructors -----------------------------------------------------------

// Keeps the write end in a member that closes it: when the constructor
// throws, that member's destructor runs.
class OwnedSink {
public:
  OwnedSink(int *consumer_fd, const std::string &prefix) {
    int fds[2];
    if (pipe(fds) < 0)
      throw std::system_error(errno, std::generic_category(), "pipe");
    *consumer_fd = fds[0];
    wr_.reset(fds[1]);
    if (prefix.size() > 16)
      throw std::length_error("prefix longer than 16 bytes");
    prefix_ = prefix;
  }
  void line(const std::string &text) {
    std::string l = prefix_ + text + "\n";
    write(wr_.get(), l.data(), l.size());
  }

private:
  UniqueFd wr_;
  std::string prefix_;
};

// Closes the member before it throws.
class CheckedSink {
public:
  CheckedSink(int *consumer_fd, const std::string &prefix) {
    int fds[2];
    if (pipe(fds) < 0)
      throw std::system_error(errno, std::generic_category(), "pipe");
    *consumer_fd = fds[0];
    wr_ = fds[1];
    if (prefix.size() > 16) {
      close(wr_);
      throw std::length_error("prefix longer than 16 bytes");
    }
    prefix_ = prefix;
  }
  ~CheckedSink() { close(wr_); }
  void line(const std::string &text) {
    std::string l = prefix_ + text + "\n";
    write(wr_, l.data(), l.size());
  }

private:
  int wr_ = -1;
  std::string prefix_;
};

// ---- scenarios -------------------------------------------------------------

// Runs f, which gives a read end in *rfd (or returns one), and reads it to
// the end whether or not f threw.
template <typename F> static int run_and_drain(F f) {
  int r = -1;
  try {
    f(&r);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "caught: %s\n", e.what());
  } catch (const BadRecord &e) {
    std::fprintf(stderr, "caught: %s\n", e.what.c_str());
  }
  if (r < 0)
    return 1;
  drain(r);
  close(r);
  return 0;
}

static int scenario_parameter() {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  try {
    send_job(fds[1], "a/b");
  } catch (const std::exception &) {
    close(fds[1]);
  }
  drain(fds[0]);
  close(fds[0]);
  return 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  const std::string bad = "a/b";
  if (s == "raii-class")
    return run_and_drain([&](int *r) { job_raii(bad, r); });
  if (s == "unique-ptr")
    return run_and_drain([&](int *r) { job_unique_ptr(bad, r); });
  if (s == "scope-guard")
    return run_and_drain([&](int *r) { job_scope_guard(bad, r); });
  if (s == "catch-close-rethrow")
    return run_and_drain([&](int *r) { job_rethrow(bad, r); });
  if (s == "typed-handler")
    return run_and_drain([&](int *r) { *r = job_typed(bad); });
  if (s == "derived-handler")
    return run_and_drain([&](int *r) { *r = status_base(true); });
  if (s == "catch-all")
    return run_and_drain([&](int *r) { *r = job_catch_all(bad); });
  if (s == "no-fall-off")
    return run_and_drain([&](int *r) { records_pipe({"a", "", "b"}, r); });
  if (s == "caught-inside")
    return run_and_drain([&](int *r) { *r = job_checked(bad); });
  if (s == "parameter")
    return scenario_parameter();
  if (s == "member-owner")
    return run_and_drain([&](int *r) {
      OwnedSink sink(r, "a prefix that is far too long: ");
      sink.line("started");
    });
  if (s == "ctor-closes")
    return run_and_drain([&](int *r) {
      CheckedSink sink(r, "a prefix that is far too long: ");
      sink.line("started");
    });
  if (s == "noexcept")
    return run_and_drain([&](int *r) { *r = job_noexcept("build"); });
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

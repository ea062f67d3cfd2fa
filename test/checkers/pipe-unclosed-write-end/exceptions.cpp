// Exceptions are paths: pipe-unclosed-write-end follows an exception from a
// throw expression or from a call that throws (a helper one, two or three
// calls deep, a lambda, a member function, a constructor; the ends in a
// local, a struct a helper fills, a member) to the handler
// that catches it or out of the function, and reports a write end left open
// on the way. Every finding has a scenario that makes the code throw and
// then reads the pipe to the end, which never comes; the "-ok" scenarios
// take the paths without an exception.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s catch-return hang
// RUN: %run_example %s catch-return-ok exit
// RUN: %run_example %s helper hang
// RUN: %run_example %s helper-ok exit
// RUN: %run_example %s struct hang
// RUN: %run_example %s struct-ok exit
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s depth3-ok exit
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lambda-ok exit
// RUN: %run_example %s method hang
// RUN: %run_example %s method-ok exit
// RUN: %run_example %s borrowed hang
// RUN: %run_example %s borrowed-ok exit
// RUN: %run_example %s wrong-handler hang
// RUN: %run_example %s wrong-handler-ok exit
// RUN: %run_example %s ctor-throw hang
// RUN: %run_example %s ctor-throw-ok exit
// RUN: %run_example %s ctor-call hang
// RUN: %run_example %s ctor-call-ok exit
// RUN: %run_example %s construct hang
// RUN: %run_example %s construct-ok exit

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
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

struct Request {
  std::string name;
  std::string body;
};

// Encodes a request as one line; a request without a name is invalid.
static std::string encode(const Request &req) {
  if (req.name.empty())
    throw std::invalid_argument("request without a name");
  return req.name + ": " + req.body + "\n";
}

// ---- a catch block that returns without closing ---------------------------

// Returns the read end of a pipe that holds the encoded request; an invalid
// request gives an empty pipe.
int request_pipe(const Request &req) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  try {
    std::string line = encode(req);
    write(fds[1], line.data(), line.size());
  } catch (const std::invalid_argument &) {
    return fds[0];
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'request_pipe' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  }
  close(fds[1]);
  return fds[0];
}

// ---- a throwing helper between pipe() and close() -------------------------

// Job names are plain file names.
static void check_name(const std::string &name) {
  if (name.find('/') != std::string::npos)
    throw std::runtime_error("job name with a '/': " + name);
}

// Starts a job's input: *rfd gets the read end, the header is written.
void start_job(const std::string &name, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  *rfd = fds[0];
  check_name(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when an exception from 'check_name' leaves 'start_job' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:5: note: the exception is thrown here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  std::string header = "job " + name + "\n";
  write(fds[1], header.data(), header.size());
  close(fds[1]);
}

// The same, three calls deep: the exception comes from parse_limit().
static long parse_limit(const std::string &text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("not a number: '" + text + "'");
  return std::stol(text);
}

static long limit_of(const std::vector<std::string> &opts) {
  return opts.empty() ? 0 : parse_limit(opts.front());
}

static long checked_limit(const std::vector<std::string> &opts) {
  long n = limit_of(opts);
  return n > 100 ? 100 : n;
}

// Writes as many ticks as the options allow; *rfd gets the read end.
void tick_pipe(const std::vector<std::string> &opts, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  long n = checked_limit(opts);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: write end 'fds[1]' of the pipe is still open when an exception from 'checked_limit' leaves 'tick_pipe' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-21]]:5: note: the exception is thrown here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  for (long i = 0; i < n; ++i)
    write(fds[1], ".", 1);
  close(fds[1]);
}

// The ends in a struct that a helper fills through an out-parameter.
struct Pair {
  int rd = -1, wr = -1;
};

static int open_pair(Pair *p) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  p->rd = fds[0];
  p->wr = fds[1];
  return 0;
}

void pair_job(const std::string &name, int *rfd) {
  Pair p;
  if (open_pair(&p) < 0)
    return;
  *rfd = p.rd;
  check_name(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'p.wr' of the pipe is still open when an exception from 'check_name' leaves 'pair_job' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-70]]:5: note: the exception is thrown here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  std::string header = "job " + name + "\n";
  write(p.wr, header.data(), header.size());
  close(p.wr);
}

// ---- a lambda and a member function that throw -----------------------------

// Copies the lines into a new pipe; *rfd gets the read end. A line longer
// than the limit is an error.
void lines_pipe(const std::vector<std::string> &lines, size_t limit, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  auto check = [limit](const std::string &line) {
    if (line.size() > limit)
      throw std::length_error("line longer than " + std::to_string(limit));
  };
  for (const std::string &line : lines) {
    check(line);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when an exception from the lambda leaves 'lines_pipe' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    write(fds[1], line.data(), line.size());
  }
  close(fds[1]);
}

class Template {
public:
  explicit Template(std::string text) : text_(std::move(text)) {}
  // Expands "$name" with the value; throws if the template has no "$name".
  std::string expand(const std::string &value) const {
    size_t at = text_.find("$name");
    if (at == std::string::npos)
      throw std::logic_error("template without $name");
    return text_.substr(0, at) + value + text_.substr(at + 5);
  }

private:
  std::string text_;
};

// Writes the greeting for each name into a new pipe; *rfd gets its read end.
void greetings_pipe(const Template &t, const std::vector<std::string> &names,
                    int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  for (const std::string &name : names) {
    std::string line = t.expand(name) + "\n";
    // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: write end 'fds[1]' of the pipe is still open when an exception from 'expand' leaves 'greetings_pipe' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-18]]:7: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    write(fds[1], line.data(), line.size());
  }
  close(fds[1]);
}

// A helper that only writes to the descriptor it is given (it cannot have
// closed it when it throws): the caller still owns the write end.
static void put_record(int fd, const std::string &key, const std::string &value) {
  if (key.find('=') != std::string::npos)
    throw std::invalid_argument("key with '=': " + key);
  std::string line = key + "=" + value + "\n";
  write(fd, line.data(), line.size());
}

void record_pipe(const std::string &key, const std::string &value, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  try {
    put_record(fds[1], key, value);
  } catch (const std::invalid_argument &) {
    throw;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when an exception leaves 'record_pipe' here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  }
  close(fds[1]);
}

// ---- a handler for another type: the exception goes on --------------------

struct Timeout : std::runtime_error {
  Timeout() : std::runtime_error("timeout") {}
};

// Waits for the service; the check below may throw std::logic_error too.
static void await_service(bool broken) {
  if (broken)
    throw std::logic_error("service misconfigured");
}

void status_pipe(bool broken, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  try {
    await_service(broken);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when an exception from 'await_service' leaves 'status_pipe' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-11]]:5: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  } catch (const Timeout &) {
    close(fds[1]);
    return;
  }
  write(fds[1], "up\n", 3);
  close(fds[1]);
}

// ---- a constructor that throws after storing the write end ----------------

// A sink that writes prefixed lines into a pipe; the consumer gets the
// read end.
class PipeSink {
public:
  PipeSink(int *consumer_fd, const std::string &prefix) {
    int fds[2];
    if (pipe(fds) < 0)
      throw std::system_error(errno, std::generic_category(), "pipe");
    *consumer_fd = fds[0];
    wr_ = fds[1];
    if (prefix.size() > 16)
      throw std::length_error("prefix longer than 16 bytes");
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'wr_' of the pipe is kept in a member when an exception leaves the constructor 'PipeSink' here: the object is never constructed, so its destructor does not run and nothing closes it; readers of the pipe never see end-of-file and block forever; close it before the exception leaves, or keep it in a member whose own destructor closes it [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'wr_' is stored here
      // CHECK-MESSAGES: :[[@LINE-8]]:9: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-5]]:9: note: taking the true branch
    prefix_ = prefix;
  }
  ~PipeSink() { close(wr_); }
  void line(const std::string &text) {
    std::string l = prefix_ + text + "\n";
    write(wr_, l.data(), l.size());
  }

private:
  int wr_ = -1;
  std::string prefix_;
};

// Topics are lower-case words.
static void check_topic(const std::string &topic) {
  for (char c : topic)
    if (c < 'a' || c > 'z')
      throw std::invalid_argument("bad topic: " + topic);
}

// A publisher on a topic; the subscriber gets the read end.
class Publisher {
public:
  Publisher(const std::string &topic, int *subscriber_fd) {
    if (pipe(fds_) < 0)
      throw std::system_error(errno, std::generic_category(), "pipe");
    *subscriber_fd = fds_[0];
    check_topic(topic);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds_[1]' of the pipe is kept in a member when an exception from 'check_topic' leaves the constructor 'Publisher' here: the object is never constructed, so its destructor does not run and nothing closes it; readers of the pipe never see end-of-file and block forever; close it before the exception leaves, or keep it in a member whose own destructor closes it [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: the exception is thrown here
    // CHECK-MESSAGES: :[[@LINE-6]]:9: note: pipe created here
    topic_ = topic;
  }
  ~Publisher() { close(fds_[1]); }
  void publish(const std::string &msg) {
    std::string l = topic_ + ": " + msg + "\n";
    write(fds_[1], l.data(), l.size());
  }

private:
  int fds_[2];
  std::string topic_;
};

// ---- a construction that throws ---------------------------------------------

// A port number in 1..65535.
class Port {
public:
  explicit Port(long n) : n_(static_cast<int>(n)) {
    if (n < 1 || n > 65535)
      throw std::out_of_range("port " + std::to_string(n));
  }
  int value() const { return n_; }

private:
  int n_;
};

// Writes "host:port" into a new pipe; *rfd gets its read end.
void address_pipe(const std::string &host, long port, int *rfd) {
  int fds[2];
  if (pipe(fds) < 0)
    return;
  *rfd = fds[0];
  Port p(port);
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: write end 'fds[1]' of the pipe is still open when an exception from the constructor of 'Port' leaves 'address_pipe' here; readers of the pipe never see end-of-file and block forever; close it before the exception leaves (catch, close and rethrow) or hold it in an object whose destructor closes it [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: the exception is thrown here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  std::string text = host + ":" + std::to_string(p.value()) + "\n";
  write(fds[1], text.data(), text.size());
  close(fds[1]);
}

// ---- scenarios -------------------------------------------------------------

static int scenario_request(bool bad) {
  int r = request_pipe(Request{bad ? "" : "get", "x"});
  drain(r);
  return 0;
}

// Runs f, which should give a read end in *rfd, and reads that to the end
// whether or not f threw.
template <typename F> static int run_and_drain(F f) {
  int r = -1;
  try {
    f(&r);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "caught: %s\n", e.what());
  }
  if (r >= 0)
    drain(r);
  return 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  bool ok = s.size() > 3 && s.compare(s.size() - 3, 3, "-ok") == 0;
  if (ok)
    s.resize(s.size() - 3);
  if (s == "catch-return")
    return scenario_request(!ok);
  if (s == "helper")
    return run_and_drain([&](int *r) { start_job(ok ? "build" : "a/b", r); });
  if (s == "struct")
    return run_and_drain([&](int *r) { pair_job(ok ? "build" : "a/b", r); });
  if (s == "depth3")
    return run_and_drain([&](int *r) { tick_pipe({ok ? "3" : "x3"}, r); });
  if (s == "lambda")
    return run_and_drain([&](int *r) {
      lines_pipe({"short\n", ok ? "fine\n" : "much too long\n"}, 8, r);
    });
  if (s == "method")
    return run_and_drain([&](int *r) {
      greetings_pipe(Template(ok ? "hello $name" : "hello"), {"ann"}, r);
    });
  if (s == "borrowed")
    return run_and_drain([&](int *r) { record_pipe(ok ? "k" : "k=", "v", r); });
  if (s == "wrong-handler")
    return run_and_drain([&](int *r) { status_pipe(!ok, r); });
  if (s == "ctor-throw")
    return run_and_drain([&](int *r) {
      PipeSink sink(r, ok ? "log: " : "a prefix that is far too long: ");
      sink.line("started");
    });
  if (s == "ctor-call")
    return run_and_drain([&](int *r) {
      Publisher p(ok ? "news" : "News", r);
      p.publish("hello");
    });
  if (s == "construct")
    return run_and_drain([&](int *r) { address_pipe("example.org", ok ? 80 : 0, r); });
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

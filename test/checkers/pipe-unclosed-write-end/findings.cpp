// Positive findings of pipe-unclosed-write-end in C++: a writer lambda, an
// exception, a function template, and std::array ends. Every finding comes
// with a scenario that takes the reported path and then reads the pipe to the
// end, which never comes; the "-ok" scenarios take the good paths.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -std=c++17
// RUN: %run_example %s lambda hang
// RUN: %run_example %s lambda-ok exit
// RUN: %run_example %s throw hang
// RUN: %run_example %s throw-ok exit
// RUN: %run_example %s template hang
// RUN: %run_example %s template-ok exit
// RUN: %run_example %s std-array hang
// RUN: %run_example %s std-array-ok exit
// RUN: %run_example %s binding hang
// RUN: %run_example %s binding-ok exit
// RUN: %run_example %s binding-ref hang
// RUN: %run_example %s binding-ref-ok exit

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <unistd.h>

// Reads fd until end-of-file; returns what was read.
static std::string slurp(int fd) {
  std::string data;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    data.append(buf, static_cast<size_t>(n));
  return data;
}

// Formats one setting as a "key=value" line. Keys may not contain '='.
static bool format_setting(const std::string &key, const std::string &value,
                           std::string &line) {
  if (key.empty() || key.find('=') != std::string::npos)
    return false;
  line = key + "=" + value + "\n";
  return true;
}

// Serialises the settings through a pipe: a writer thread formats them while
// this thread collects the text. Returns false if a read fails.
bool dump_settings(const std::map<std::string, std::string> &settings,
                   std::string &text) {
  int fds[2];
  if (pipe(fds) < 0)
    return false;

  std::thread writer([wfd = fds[1], &settings] {
    for (const auto &kv : settings) {
      std::string line;
      if (!format_setting(kv.first, kv.second, line))
        return;
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: write end 'wfd' is closed on another path but still open when this lambda returns here; the reader never sees end-of-file and blocks forever; close it on this path too [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE+6]]:5: note: 'wfd' is closed here on another path
      // CHECK-MESSAGES: :[[@LINE-4]]:11: note: taking the true branch
      if (write(wfd, line.data(), line.size()) !=
          static_cast<ssize_t>(line.size()))
        break;
    }
    close(wfd);
  });

  text = slurp(fds[0]);
  close(fds[0]);
  writer.join();
  return true;
}

struct Feed {
  int rfd = -1; // the consumer reads this until end-of-file
};

// Starts a feed: writes the header into a new pipe whose read end the feed
// keeps. Throws if the header cannot be written in one piece.
void start_feed(Feed &feed, const std::string &header) {
  int fds[2];
  if (pipe(fds) < 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  feed.rfd = fds[0];
  if (header.size() > PIPE_BUF)
    throw std::length_error("feed header longer than PIPE_BUF");
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when an exception leaves 'start_feed' here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  if (write(fds[1], header.data(), header.size()) < 0) {
    int err = errno;
    close(fds[1]);
    throw std::system_error(err, std::generic_category(), "write");
  }
  close(fds[1]);
}

// Sends a message through a new pipe; *rfd gets the read end.
template <typename Msg> int post_message(int *rfd, const Msg &msg) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  std::string text;
  if (!msg.serialize(text))
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'post_message' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  ssize_t n = write(fds[1], text.data(), text.size());
  close(fds[1]);
  return n < 0 ? -1 : 0;
}

struct Ping {
  bool serialize(std::string &out) const {
    out = "ping\n";
    return true;
  }
};

struct Note {
  std::string body;
  bool serialize(std::string &out) const {
    if (body.size() > 1024)
      return false;
    out = "note " + body + "\n";
    return true;
  }
};

// Writes the lines into a new pipe; *rfd gets the read end. Lines may not
// contain a newline.
int pipe_lines(int *rfd, const std::vector<std::string> &lines) {
  std::array<int, 2> fds;
  if (pipe(fds.data()) < 0)
    return -1;
  *rfd = fds[0];
  for (const std::string &line : lines) {
    if (line.find('\n') != std::string::npos)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'fds[1]' of the pipe is still open when 'pipe_lines' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    dprintf(fds[1], "%s\n", line.c_str());
  }
  close(fds[1]);
  return 0;
}

// Greets NAME through a new pipe whose read end goes to the caller. The
// ends are named by a structured binding of the plain array, a copy of it:
// 'w' holds the write end as well as 'fds[1]'.
int pipe_greeting(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto [r, w] = fds;
  *rfd = r;
  if (name == nullptr)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'w' of the pipe is still open when 'pipe_greeting' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(w, "hello, %s\n", name);
  close(w);
  return 0;
}

// The same with a reference binding: 'r' and 'w' are fds[0] and fds[1].
int pipe_farewell(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  auto &[r, w] = fds;
  *rfd = r;
  if (name == nullptr)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'pipe_farewell' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(w, "goodbye, %s\n", name);
  close(w);
  return 0;
}

// ---- scenarios -------------------------------------------------------------

static int scenario_settings(bool bad) {
  std::map<std::string, std::string> settings{{"color", "blue"},
                                              {"size", "3"}};
  if (bad)
    settings["a=b"] = "c";
  std::string text;
  return dump_settings(settings, text) ? 0 : 1;
}

static int scenario_feed(std::size_t header_size) {
  Feed feed;
  try {
    start_feed(feed, std::string(header_size, 'h'));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "start_feed: %s\n", e.what());
  }
  // The consumer reads the feed until it ends.
  slurp(feed.rfd);
  return 0;
}

static int scenario_post(bool bad) {
  int r1 = -1, r2 = -1;
  post_message(&r1, Ping{});
  post_message(&r2, Note{std::string(bad ? 2000 : 10, 'n')});
  slurp(r1);
  slurp(r2);
  return 0;
}

static int scenario_lines(bool bad) {
  int r = -1;
  pipe_lines(&r, {"one", bad ? "two\nthree" : "two"});
  slurp(r);
  return 0;
}

static int scenario_greeting(bool bad, bool reference) {
  int r = -1;
  const char *name = bad ? nullptr : "bob";
  if (reference)
    pipe_farewell(&r, name);
  else
    pipe_greeting(&r, name);
  slurp(r);
  return 0;
}

int main(int argc, char **argv) {
  std::string s = argc > 1 ? argv[1] : "";
  if (s == "lambda")
    return scenario_settings(true);
  if (s == "lambda-ok")
    return scenario_settings(false);
  if (s == "throw")
    return scenario_feed(PIPE_BUF + 1);
  if (s == "throw-ok")
    return scenario_feed(64);
  if (s == "template")
    return scenario_post(true);
  if (s == "template-ok")
    return scenario_post(false);
  if (s == "std-array")
    return scenario_lines(true);
  if (s == "std-array-ok")
    return scenario_lines(false);
  if (s == "binding")
    return scenario_greeting(true, false);
  if (s == "binding-ok")
    return scenario_greeting(false, false);
  if (s == "binding-ref")
    return scenario_greeting(true, true);
  if (s == "binding-ref-ok")
    return scenario_greeting(false, true);
  std::fprintf(stderr, "unknown scenario '%s'\n", s.c_str());
  return 2;
}

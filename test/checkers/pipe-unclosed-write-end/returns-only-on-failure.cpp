// A member function that returns only to report a failure (false): when
// it gets past its failures, the parent execs the pager and the child
// writes the text and exits. Its callers are in another file; it is
// called, as execvp() is, for not coming back, so the descriptors its
// failure path leaves open are not reported. page_or_throw() reports the
// same failure with an exception, which a caller may catch and go on
// (rof_page_throw() does, three times): reported. ReportLeaksBeforeExit
// brings the silenced one back (suffix ON).
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ON %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs
// RUN: %run_example %s page exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.cpp
// RUN: %run_example %s throw exit -- -I%S/Inputs %S/Inputs/returns-only-on-failure-callers.cpp

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "returns-only-on-failure.hpp"

static constexpr std::size_t kMaxName = 16;

bool Pager::page_and_exit(const std::string &text)
{
  int fds[2];
  if (pipe(fds) < 0)
    return false;
  if (program_.size() > kMaxName) {
    std::fprintf(stderr, "%s: name too long\n", program_.c_str());
    return false;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: warning: 'page_and_exit' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ON: :[[@LINE-6]]:7: note: pipe created here
  }
  pid_t pid = fork();
  if (pid < 0)
    return false;
    // CHECK-MESSAGES-ON: :[[@LINE-1]]:5: note: 'page_and_exit' also returns here with them open
  if (pid > 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(program_.c_str(), program_.c_str(), (char *)nullptr);
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text.data(), text.size()) < 0)
    std::perror("write");
  close(fds[1]);
  std::exit(0);
}

void Pager::page_or_throw(const std::string &text)
{
  int fds[2];
  if (pipe(fds) < 0)
    throw std::runtime_error("pipe");
  if (program_.size() > kMaxName)
    throw std::runtime_error(program_ + ": name too long");
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'page_or_throw' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when an exception leaves it here; no path closes them, so each call that creates them leaks them; close them on every path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+3]]:5: note: an exception also leaves 'page_or_throw' here with them open
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork");
  if (pid > 0) {
    close(fds[1]);
    if (dup2(fds[0], 0) < 0)
      _exit(126);
    execlp(program_.c_str(), program_.c_str(), (char *)nullptr);
    _exit(127);
  }
  close(fds[0]);
  if (write(fds[1], text.data(), text.size()) < 0)
    std::perror("write");
  close(fds[1]);
  std::exit(0);
}

static const char long_name[] = "a-pager-name-longer-than-sixteen-bytes";

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;

  if (std::strcmp(s, "throw") == 0)
    return rof_page_throw(long_name) == 6 ? 0 : 3;
  // The silent one: the caller ends the process after the failure.
  pid_t pid = fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    if (std::strcmp(s, "page") == 0)
      rof_page(long_name);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  std::fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

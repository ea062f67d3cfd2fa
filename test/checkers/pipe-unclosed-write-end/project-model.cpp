// The project's facts also say what the bodies in other files are: here,
// that fatal() (Inputs/project-model-helpers.cpp) ends the process on every
// path, although nothing in its declaration says so. Each function below
// leaks its pipe's write end on a path that first calls a helper of the
// other file. Without the facts (suffix ONE) both leaks are reported: for
// all this file sees, fatal() returns. With the facts, the path through
// fatal() ends there: open_checked() is silent; open_warned() calls warn(),
// which returns, and stays reported.
//
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.cpp
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.cpp %S/Inputs/project-model-helpers.cpp -- -std=c++17 -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=MODEL --input-file=%t.facts
// MODEL: model{{	}}c:@F@fatal#*1C#{{	}}{{.*}}project-model-helpers.cpp{{	}}noreturn{{	}}-1{{	}}-1{{	}}-1{{	}}0
// MODEL-NOT: c:@F@warn#*1C#{{	}}{{.*}}noreturn
//
// RUN: env PIPE_TIDY_CALLER_FACTS=%t.facts %check_pipe_tidy --require-analysed -std=c++17 %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -std=c++17 -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
//
// The program: the fatal() path ends the process (status 1); the warn()
// path returns with the write end open, and the reader it handed the read
// end to never sees end-of-file.
// RUN: %run_example %s checked exit -- -std=c++17 -I%S/Inputs %S/Inputs/project-model-helpers.cpp
// RUN: %run_example %s warned hang -- -std=c++17 -I%S/Inputs %S/Inputs/project-model-helpers.cpp

#include <cstdio>
#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "project-model.hpp"

namespace {
constexpr std::size_t MaxName = 16;
const char LongName[] = "a-name-longer-than-sixteen-bytes";

long drain(int fd) {
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

int open_checked(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName) {
    fatal("name too long");
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'open_checked' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-5]]:7: note: taking the true branch
  }
  dprintf(fds[1], "%s\n", name);
  close(fds[1]);
  return 0;
}

int open_warned(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName) {
    warn("name too long");
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'open_warned' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  dprintf(fds[1], "%s\n", name);
  close(fds[1]);
  return 0;
}
} // namespace

static void scenario(const char *s) {
  int r = -1;
  if (std::strcmp(s, "checked") == 0)
    open_checked(&r, LongName);
  else if (std::strcmp(s, "warned") == 0)
    open_warned(&r, LongName);
  else
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
  if (r >= 0)
    std::printf("%ld\n", drain(r));
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();
  if (pid < 0)
    return 2;
  if (pid == 0) {
    scenario(s);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  std::fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

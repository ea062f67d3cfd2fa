// Caller facts through pointers, in C++. Each function below leaks the
// write end of its pipe when the name is too long, and returns 1. The
// program calls them only through pointers, in the other file
// (Inputs/caller-facts-pointers-main.cpp). Without the project's facts
// every leak is reported (suffix ONE). With them:
//  - Shell::browse() and Shell::query() are called through a table of
//    member-function pointers whose dispatcher passes the result to exit():
//    silent;
//  - hook_notify() is called through a table whose caller exits on
//    failure, but it is also held by a std::function, which calls it where
//    the facts cannot follow (and its caller survives the failure):
//    reported.
//
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.cpp
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.cpp %S/Inputs/caller-facts-pointers-main.cpp -- -std=c++17 -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// FIRST-NOT: error:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t.facts
// FACTS-DAG: taken{{	}}c:@S@Shell@F@browse#*I#*1C#{{	}}M:Shell:int(int *,const char *)
// FACTS-DAG: icall{{	}}M:Shell:int(int *,const char *){{	}}c:@F@run_tool#*1C#S0_#{{	}}{{.*}}caller-facts-pointers-main.cpp:40:17{{	}}E E E E E E E
// FACTS-DAG: escape{{	}}c:@F@hook_notify#*I#*1C#
//
// RUN: %check_pipe_tidy --require-analysed -std=c++17 %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -std=c++17 -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
//
// The program: a silenced leak's scenario ends the child with the failure
// (status 1); the std::function caller reads a pipe whose write end the
// failed hook left open: it hangs.
// RUN: %run_example %s browse exit -- -std=c++17 -I%S/Inputs %S/Inputs/caller-facts-pointers-main.cpp
// RUN: %run_example %s query exit -- -std=c++17 -I%S/Inputs %S/Inputs/caller-facts-pointers-main.cpp
// RUN: %run_example %s hook-table exit -- -std=c++17 -I%S/Inputs %S/Inputs/caller-facts-pointers-main.cpp
// RUN: %run_example %s hook-function hang -- -std=c++17 -I%S/Inputs %S/Inputs/caller-facts-pointers-main.cpp

#include <cstdio>
#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-facts-pointers.hpp"

namespace {
constexpr std::size_t MaxName = 16;
const char LongName[] = "a-name-longer-than-sixteen-bytes";
} // namespace

int Shell::browse(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return 1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'browse' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "browse %s\n", name);
  close(fds[1]);
  return 0;
}

int Shell::query(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return 1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'query' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "query %s\n", name);
  close(fds[1]);
  return 0;
}

int hook_notify(int *rfd, const char *name) {
  int fds[2];
  if (pipe(fds) < 0)
    return 1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'hook_notify' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "notify %s\n", name);
  close(fds[1]);
  return 0;
}

static void scenario(const char *s) {
  if (std::strcmp(s, "browse") == 0 || std::strcmp(s, "query") == 0)
    run_tool(s, LongName);
  else if (std::strcmp(s, "hook-table") == 0)
    run_hook_table(LongName);
  else if (std::strcmp(s, "hook-function") == 0)
    run_hook_function(LongName);
  else
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
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

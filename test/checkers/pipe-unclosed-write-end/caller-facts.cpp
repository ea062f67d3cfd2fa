// Caller facts in C++: a member function (Launcher::start, caller in
// another file that exits, depth 1) and a function in a namespace
// (jobs::open_channel, whose caller returns -1 to a lambda that exits,
// depth 2) leak their write end on failure; with the project's caller
// facts they are silent, without them (suffix ONE) reported.
// Launcher::restart has a caller that carries on: always reported.
//
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.cpp
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.cpp %S/Inputs/caller-facts-callers.cpp -- -std=c++17 -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// FIRST-NOT: error:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t.facts
// FACTS-DAG: def{{	}}c:@N@jobs@S@Launcher@F@start#*I#*1C#{{	}}{{.*}}caller-facts.cpp.tmp.cpp
// FACTS-DAG: call{{	}}c:@N@jobs@S@Launcher@F@start#*I#*1C#{{	}}c:@F@run_launcher#*1C#{{	}}{{.*}}{{	}}E U U E U U U
// FACTS-DAG: call{{	}}c:@F@setup_channel#*I#*1C#{{	}}-{{	}}{{.*}}{{	}}E U E E E U U
// FACTS-DAG: call{{	}}c:@N@jobs@F@open_channel#*I#*1C#{{	}}c:@F@setup_channel#*I#*1C#{{	}}{{.*}}{{	}}R0:0 R-1:-1 R0:0 R0:0 R0:0 U U
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
//
// RUN: %run_example %s launcher exit -- -I%S/Inputs %S/Inputs/caller-facts-callers.cpp
// RUN: %run_example %s channel exit -- -I%S/Inputs %S/Inputs/caller-facts-callers.cpp
// RUN: %run_example %s restart hang -- -I%S/Inputs %S/Inputs/caller-facts-callers.cpp

#include <cstdio>
#include <cstring>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-facts.hpp"

namespace jobs {

static const std::size_t MaxName = 16;

int Launcher::start(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'start' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s\n", name);
  close(fds[1]);
  return 0;
}

int Launcher::restart(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'restart' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s\n", name);
  close(fds[1]);
  return 0;
}

bool open_channel(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return false;
  *rfd = fds[0];
  if (std::strlen(name) > MaxName)
    return false;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'open_channel' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "channel %s\n", name);
  close(fds[1]);
  return true;
}

} // namespace jobs

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

static void scenario(const char *s)
{
  if (std::strcmp(s, "launcher") == 0)
    run_launcher(long_name);
  else if (std::strcmp(s, "channel") == 0)
    run_channel(long_name);
  else if (std::strcmp(s, "restart") == 0)
    run_restart(long_name);
  else
    std::fprintf(stderr, "unknown scenario '%s'\n", s);
}

int main(int argc, char **argv)
{
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

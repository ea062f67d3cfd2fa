// Caller facts whatever the result: the callers of the three functions
// below are in another file (Inputs/caller-any-result-callers.c), and none
// tests the result. Each function starts a logger child that reads a pipe
// to end-of-file and leaks the write end when the name is too long. The
// first pass records, for every call of a function of the program (void
// ones too), what the caller does whatever the result (`any` lines: E the
// process ends with nothing on the way that could wait, V the caller
// returns and its callers decide, U unknown). With those facts the leaks
// of xany_start() (the caller reports and _exit()s) and xany_start_v()
// (void; its caller returns to one that exits, depth 2) are silent;
// xany_start_w()'s caller waits for the logger: reported, and it hangs.
// Without the facts, all three are reported (suffix ONE).
//
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.c
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.c %S/Inputs/caller-any-result-callers.c -- -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// FIRST-NOT: error:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t.facts
// FACTS-DAG: def{{	}}c:@F@xany_start_v{{	}}{{.*}}caller-any-result-xtu.c.tmp.c
// FACTS-DAG: any{{	}}c:@F@xany_start{{	}}c:@F@xany_run_ignored{{	}}{{.*}}caller-any-result-callers.c:17:3{{	}}E{{$}}
// FACTS-DAG: call{{	}}c:@F@xany_start{{	}}c:@F@xany_run_ignored{{	}}{{.*}}{{	}}I I I I I I I{{$}}
// FACTS-DAG: any{{	}}c:@F@xany_start_v{{	}}c:@F@xany_setup{{	}}{{.*}}{{	}}V{{$}}
// FACTS-DAG: any{{	}}c:@F@xany_setup{{	}}c:@F@xany_run_void{{	}}{{.*}}{{	}}E{{$}}
// FACTS-DAG: any{{	}}c:@F@xany_start_w{{	}}c:@F@xany_run_waits{{	}}{{.*}}{{	}}U{{$}}
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// A facts file of the first format is refused, naming the one it reads.
// RUN: printf 'pipe-tidy caller facts 1\n' > %t.v1.facts
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" --config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: %t.v1.facts}]}" %t.c -- -I%S/Inputs > %t.v1.out 2>&1; echo "exit status $?" >> %t.v1.out'
// RUN: FileCheck %s --check-prefix=V1 --input-file=%t.v1.out
// V1: line 1: 'pipe-tidy caller facts 1': this plugin reads 'pipe-tidy caller facts 3'
// V1: exit status 1
//
// RUN: %run_example %s ignored exit -- -I%S/Inputs %S/Inputs/caller-any-result-callers.c
// RUN: %run_example %s void exit -- -I%S/Inputs %S/Inputs/caller-any-result-callers.c
// RUN: %run_example %s waits hang -- -I%S/Inputs %S/Inputs/caller-any-result-callers.c

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-any-result.h"

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

/* A logger child reads the pipe to end-of-file; returns the write end,
 * or -1 (leaving it open) when the name is too long. */
int xany_start(pid_t *pid, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  if (pipe(fds) < 0)
    return -1;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > 16)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xany_start' returns here
    // CHECK-MESSAGES-ONE: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  return fds[1];
}

void xany_start_v(pid_t *pid, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  if (pipe(fds) < 0)
    return;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > 16)
    return;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xany_start_v' returns here
    // CHECK-MESSAGES-ONE: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  close(fds[1]);
}

int xany_start_w(pid_t *pid, const char *name)
{
  int fds[2];
  char buf[64];
  pid_t child;

  if (pipe(fds) < 0)
    return -1;
  child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (child == 0) {
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  *pid = child;
  if (strlen(name) > 16)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xany_start_w' returns here
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  return fds[1];
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int status;
  pid_t pid = fork();

  if (pid < 0)
    return 2;
  if (pid == 0) {
    if (strcmp(s, "ignored") == 0)
      xany_run_ignored(long_name);
    else if (strcmp(s, "void") == 0)
      xany_run_void(long_name);
    else if (strcmp(s, "waits") == 0)
      xany_run_waits(long_name);
    _exit(0);
  }
  if (waitpid(pid, &status, 0) < 0)
    return 2;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
    return 0;
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

// Caller facts: callers in other translation units. Each function below
// leaks the write end of its pipe when the name is too long, and returns
// -1. Their callers are all in other files of the program
// (Inputs/caller-facts-callers.c, Inputs/caller-facts-top.c), declared in a
// header, so one file's analysis cannot know them: without the project's
// facts every leak is reported (suffix ONE). A first pass over the three
// files records what each call does on failure; with those facts
// (CallerFactsFile) the leaks whose every caller ends the process are
// silent: xtu_start_job() (caller exits, depth 1), xtu_open_relay()
// (caller returns -1 to a caller in a third file that exits, depth 2).
// xtu_start_worker() has one caller that exits and one that carries on
// and reads the pipe: it stays reported. ReportLeaksBeforeExit brings the
// silenced ones back, and so do facts of another project that has a
// function of the same name (Inputs/caller-facts-other-project.c). A
// corrupt or missing facts file is a configuration error (exit status
// 1); an empty one holds no fact.
//
// The first pass: the files as clang-tidy will see them (%t.c is the copy
// that check_pipe_tidy analyses).
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.c
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.c %S/Inputs/caller-facts-callers.c %S/Inputs/caller-facts-top.c -- -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// FIRST-NOT: error:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t.facts
// FACTS-DAG: def{{	}}c:@F@xtu_start_job{{	}}{{.*}}caller-facts.c.tmp.c
// FACTS-DAG: call{{	}}c:@F@xtu_start_job{{	}}c:@F@xtu_run_job{{	}}{{.*}}caller-facts-callers.c:28:7{{	}}E U U E U U U
// FACTS-DAG: call{{	}}c:@F@xtu_open_relay{{	}}c:@F@xtu_relay_setup{{	}}{{.*}}{{	}}R-1:-1 R0:0 R0:0 R-1:-1 R0:0 R0:0 U
// FACTS-DAG: call{{	}}c:@F@xtu_relay_setup{{	}}c:@F@xtu_run_relay{{	}}{{.*}}caller-facts-top.c{{.*}}{{	}}E U E E E U U
//
// The second pass, with the facts: two leaks silent, one reported.
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// Without facts, with ReportLeaksBeforeExit, with an empty file, with facts
// of another project: all three.
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}, {key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs
// RUN: rm -f %t.empty.facts && touch %t.empty.facts
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.empty.facts'}]}" -- -I%S/Inputs
// RUN: rm -rf %t.other.d && mkdir -p %t.other.d
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.other.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %S/Inputs/caller-facts-other-project.c -- 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// RUN: cat %t.other.d/*.facts > %t.other.facts
// RUN: FileCheck %s --check-prefix=OTHER --input-file=%t.other.facts
// OTHER: call{{	}}c:@F@xtu_start_job{{	}}-{{	}}{{.*}}{{	}}E
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.other.facts'}]}" -- -I%S/Inputs
// The same facts through the environment, as pipe-tidy passes them.
// RUN: env PIPE_TIDY_CALLER_FACTS=%t.facts %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
//
// A corrupt or missing file fails loudly, naming the option.
// RUN: printf 'pipe-tidy caller facts 3\ncall\tc:@F@xtu_start_job\n' > %t.bad.facts
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" --config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: %t.bad.facts}]}" %t.c -- -I%S/Inputs > %t.bad.out 2>&1; echo "exit status $?" >> %t.bad.out'
// RUN: FileCheck %s --check-prefix=CORRUPT --input-file=%t.bad.out
// CORRUPT: error: invalid value '{{.*}}.bad.facts' for option 'pipe-unclosed-write-end.CallerFactsFile': line 2: 'call{{.*}}' is not a caller fact; expected a caller facts file written by the first pass (pipe-tidy -p BUILD_DIR makes one) [clang-tidy-config]
// CORRUPT: exit status 1
// RUN: printf '{"not": "facts"}\n' > %t.json.facts
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" --config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: %t.json.facts}]}" %t.c -- -I%S/Inputs > %t.json.out 2>&1; echo "exit status $?" >> %t.json.out'
// RUN: FileCheck %s --check-prefix=NOTFACTS --input-file=%t.json.out
// NOTFACTS: error: invalid value '{{.*}}.json.facts' for option 'pipe-unclosed-write-end.CallerFactsFile': line 1: not a caller facts file: it does not start with 'pipe-tidy caller facts 3'
// NOTFACTS: exit status 1
// RUN: sh -c 'PIPE_TIDY_CALLER_FACTS=%t.missing.facts %clang_tidy --load=%plugin -checks="-*,pipe-*" --config={} %t.c -- -I%S/Inputs > %t.missing.out 2>&1; echo "exit status $?" >> %t.missing.out'
// RUN: FileCheck %s --check-prefix=MISSING --input-file=%t.missing.out
// MISSING: error: invalid value '{{.*}}.missing.facts' for option 'pipe-unclosed-write-end.CallerFactsFile' (from $PIPE_TIDY_CALLER_FACTS): cannot read it: No such file or directory
// MISSING: exit status 1
//
// The program: each scenario runs in a child. A silenced leak's scenario
// takes the failure path and its caller ends the child (status 1); the
// parent then exits 0. The carrying-on caller reads the pipe whose write
// end the failed call left open: it hangs.
// RUN: %run_example %s job exit -- -I%S/Inputs %S/Inputs/caller-facts-callers.c %S/Inputs/caller-facts-top.c
// RUN: %run_example %s relay exit -- -I%S/Inputs %S/Inputs/caller-facts-callers.c %S/Inputs/caller-facts-top.c
// RUN: %run_example %s worker-checked exit -- -I%S/Inputs %S/Inputs/caller-facts-callers.c %S/Inputs/caller-facts-top.c
// RUN: %run_example %s worker-anyway hang -- -I%S/Inputs %S/Inputs/caller-facts-callers.c %S/Inputs/caller-facts-top.c

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-facts.h"

#define MAX_NAME 16

static const char long_name[] = "a-job-name-longer-than-sixteen-bytes";

int xtu_start_job(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xtu_start_job' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "job %s\n", name);
  close(fds[1]);
  return 0;
}

int xtu_open_relay(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xtu_open_relay' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "relay %s\n", name);
  close(fds[1]);
  return 0;
}

int xtu_start_worker(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'xtu_start_worker' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "worker %s\n", name);
  close(fds[1]);
  return 0;
}

static void scenario(const char *s)
{
  if (strcmp(s, "job") == 0)
    xtu_run_job(long_name);
  else if (strcmp(s, "relay") == 0)
    xtu_run_relay(long_name);
  else if (strcmp(s, "worker-checked") == 0)
    xtu_run_worker_checked(long_name);
  else if (strcmp(s, "worker-anyway") == 0)
    xtu_run_worker_anyway(long_name);
  else
    fprintf(stderr, "unknown scenario '%s'\n", s);
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
  fprintf(stderr, "the scenario did not end on its failure path\n");
  return 3;
}

// Caller facts through function pointers. Each function below leaks the
// write end of its pipe when the name is too long, and fails. The program
// never calls them by name: the other file (Inputs/caller-facts-pointers-main.c)
// calls them through pointers kept in tables, and this file passes one to
// that file's ptr_run_step(). Without the project's facts every leak is
// reported (suffix ONE). With them, the calls of a function are also the
// project's calls through a pointer of its type:
//  - ptr_cmd_log() and ptr_step_fetch(), `int (*)(int *, const char *)`:
//    a table's dispatcher and the callback's caller both exit when the call
//    fails, so both leaks are silent;
//  - ptr_handler_watch(): its table's dispatcher reports the failure and
//    reads the pipe, which never ends: reported;
//  - ptr_worker_main(): its table's caller exits, but a pointer of its type
//    is also given to pthread_create(), which calls it where the program
//    cannot see: reported.
//
// The first pass over the program's two files:
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.c
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.c %S/Inputs/caller-facts-pointers-main.c -- -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// FIRST-NOT: error:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t.facts
// FACTS-DAG: taken{{	}}c:@F@ptr_cmd_log{{	}}int(int *,const char *){{	}}noproto:int
// FACTS-DAG: taken{{	}}c:@F@ptr_step_fetch{{	}}int(int *,const char *){{	}}noproto:int
// FACTS-DAG: icall{{	}}int(int *,const char *){{	}}c:@F@ptr_dispatch{{	}}{{.*}}caller-facts-pointers-main.c:43:9{{	}}E U U E U U U
// FACTS-DAG: icall{{	}}int(int *,const char *){{	}}c:@F@ptr_run_step{{	}}{{.*}}caller-facts-pointers-main.c:55:7{{	}}E U U E U U U
// FACTS-DAG: icall{{	}}int(int *,const char *,int){{	}}c:@F@ptr_handle{{	}}{{.*}}{{	}}U U U U U U U
// FACTS-DAG: typeescape{{	}}void *(void *)
//
// The second pass, with the facts: two leaks silent, two reported.
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// Without the facts: all four.
// RUN: %check_pipe_tidy -check-suffixes=,ONE %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
//
// The program: each scenario runs in a child. A silenced leak's scenario
// takes the failure path and its caller ends the child (status 1); the
// parent then exits 0. The other two read a pipe whose write end the
// failed call left open: they hang.
// RUN: %run_example %s log exit -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread
// RUN: %run_example %s fetch exit -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread
// RUN: %run_example %s step exit -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread
// RUN: %run_example %s worker exit -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread
// RUN: %run_example %s watch hang -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread
// RUN: %run_example %s worker-thread hang -- -I%S/Inputs %S/Inputs/caller-facts-pointers-main.c -pthread

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-facts-pointers.h"

#define MAX_NAME 16

static const char long_name[] = "a-name-longer-than-sixteen-bytes";

int ptr_cmd_log(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'ptr_cmd_log' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "log %s\n", name);
  close(fds[1]);
  return 0;
}

int ptr_step_fetch(int *rfd, const char *name)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES-ONE: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'ptr_step_fetch' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES-ONE: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES-ONE: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "fetch %s\n", name);
  close(fds[1]);
  return 0;
}

int ptr_handler_watch(int *rfd, const char *name, int retries)
{
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (retries < 0 || strlen(name) > MAX_NAME)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'ptr_handler_watch' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "watch %s\n", name);
  close(fds[1]);
  return 0;
}

void *ptr_worker_main(void *arg)
{
  struct ptr_worker_arg *a = arg;
  int fds[2];

  if (pipe(fds) < 0)
    return NULL;
  a->rfd = fds[0];
  if (strlen(a->name) > MAX_NAME)
    return NULL;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'fds[1]' of the pipe is still open when 'ptr_worker_main' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  dprintf(fds[1], "worker %s\n", a->name);
  close(fds[1]);
  return a;
}

static void scenario(const char *s)
{
  if (strcmp(s, "log") == 0)
    ptr_dispatch("log", long_name);
  else if (strcmp(s, "fetch") == 0)
    ptr_dispatch("fetch", long_name);
  else if (strcmp(s, "step") == 0)
    ptr_run_step(ptr_step_fetch, long_name);
  else if (strcmp(s, "watch") == 0)
    ptr_handle(long_name);
  else if (strcmp(s, "worker") == 0)
    ptr_run_worker(long_name);
  else if (strcmp(s, "worker-thread") == 0)
    ptr_run_worker_thread(long_name);
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

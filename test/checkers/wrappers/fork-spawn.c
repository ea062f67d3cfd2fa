// pipe-unclosed-write-end through a program's own fork and spawn functions:
// `xfork()` (resets signals in the child), `start_cmd(argv)` (fork, exec,
// return the pid), and wrappers of those (depth 2). Each is seen two ways,
// with the same findings:
//
//  - automatic: the wrappers' bodies are in this file, and the checks
//    recognise them as thin wrappers of fork() and of fork()+exec;
//  - option: with -DWRAPPERS_ELSEWHERE only their declarations are seen (as
//    when they live in another file), and ForkFunctions / SpawnFunctions
//    name them.
//
// Without either, the checks see no child at all (the last RUN line): no
// hang is reported, only the two write ends that leak whatever the unseen
// function does (the read end is closed, the write end is not).
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I%S
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: ForkFunctions, value: 'xfork;xfork_quiet'}, {key: SpawnFunctions, value: 'start_cmd;start_cmd_logged'}]}" -- -DWRAPPERS_ELSEWHERE
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-unclosed-write-end' -config="{CheckOptions: [{key: pipe-unclosed-write-end.TestFileRegex, value: ''}]}" %s -- -DWRAPPERS_ELSEWHERE 2>&1 | FileCheck --allow-empty --check-prefix=UNSEEN %s
// UNSEEN-NOT: warning:
//
// The project's facts: a first pass over this file (wrappers elsewhere) and
// Inputs/fork-spawn-wrappers.c records what the wrappers' bodies are
// (`model` lines); the second pass, given the facts, finds what the
// automatic and the option runs find, with no option.
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.c
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.c %S/Inputs/fork-spawn-wrappers.c -- -DWRAPPERS_ELSEWHERE 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// RUN: cat %t.d/*.facts > %t.facts
// RUN: FileCheck %s --check-prefix=MODEL --input-file=%t.facts
// MODEL-DAG: model{{	}}c:@F@xfork{{	}}{{.*}}fork-spawn-wrappers.c{{	}}fork{{	}}-1{{	}}-1{{	}}-1{{	}}0
// MODEL-DAG: model{{	}}c:@F@start_cmd{{	}}{{.*}}fork-spawn-wrappers.c{{	}}spawn{{	}}
// MODEL-DAG: model{{	}}c:@F@start_cmd_logged{{	}}{{.*}}fork-spawn-wrappers.c{{	}}spawn{{	}}
// RUN: env PIPE_TIDY_CALLER_FACTS=%t.facts %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -DWRAPPERS_ELSEWHERE
//
// RUN: %run_example %s fork-output hang -- -I%S
// RUN: %run_example %s fork-output-ok exit -- -I%S
// RUN: %run_example %s fork-struct hang -- -I%S
// RUN: %run_example %s fork-struct-ok exit -- -I%S
// RUN: %run_example %s spawn-inherits hang -- -I%S
// RUN: %run_example %s spawn-inherits-ok exit -- -I%S
// RUN: %run_example %s spawn-inherits-2 hang -- -I%S
// RUN: %run_example %s spawn-inherits-2-ok exit -- -I%S

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the program's own process functions -------------------------------- */

#ifdef WRAPPERS_ELSEWHERE
pid_t xfork(void);
pid_t xfork_quiet(void);
pid_t start_cmd(char *const argv[]);
pid_t start_cmd_logged(char *const argv[]);
#else
#include "Inputs/fork-spawn-wrappers.c"
#endif

/* ---- fork wrapper: the parent keeps the write end ------------------------ */

/* Counts the bytes a command prints. The child inherits both ends; the
 * parent keeps its write end, so its read loop never sees end-of-file. */
long output_size(char *const argv[])
{
  int fds[2];
  char buf[4096];
  long n, total = 0;

  if (pipe(fds) < 0)
    return -1;
  if (xfork() == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'output_size' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:10: note: the loop condition is false: leaving the loop
  // Without the wrapper's body the fork is not seen, but the read to
  // end-of-file on this path is, with the write end open: it never ends.
  // UNSEEN: fork-spawn.c:[[@LINE-6]]:3: warning: write end 'fds[1]' of the pipe is still open when 'output_size' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // UNSEEN-NOT: warning:
}

/* The same, done right: the parent closes its write end after the fork. */
long output_size_ok(char *const argv[])
{
  int fds[2];
  char buf[4096];
  long n, total = 0;

  if (pipe(fds) < 0)
    return -1;
  if (xfork() == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  return total;
}

/* ---- depth 2, the pipe and the pid in a struct --------------------------- */

struct job {
  int out[2];
  pid_t pid;
};

/* Runs argv with its output in a pipe and returns the first byte it
 * prints, or -1 when it prints nothing. The parent closes its copy of
 * job.out[1] only when asked to: otherwise the first read() waits forever
 * for a command that prints nothing. */
int first_byte(char *const argv[], int close_it)
{
  struct job job;
  unsigned char c;
  int status;

  if (pipe(job.out) < 0)
    return -1;
  job.pid = xfork_quiet();
  if (job.pid < 0) {
    close(job.out[0]);
    close(job.out[1]);
    return -1;
  }
  if (job.pid == 0) {
    dup2(job.out[1], STDOUT_FILENO);
    close(job.out[0]);
    close(job.out[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  if (close_it)
    close(job.out[1]);
  if (read(job.out[0], &c, 1) != 1) {
    /* Nothing: wait for the end of the output, then for the child. */
    while (read(job.out[0], &c, 1) > 0)
      ;
    close(job.out[0]);
    waitpid(job.pid, &status, 0);
    return -1;
    /* Not reported: main() ends the process after this return (see
     * ReportLeaksBeforeExit); the read above is what hangs. */
  }
  close(job.out[0]);
  waitpid(job.pid, &status, 0);
  return c;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'first_byte' leaks the write end 'job.out[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-31]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: taking the false branch
  // UNSEEN: fork-spawn.c:[[@LINE-4]]:3: warning: 'first_byte' leaks the write end 'job.out[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // UNSEEN-NOT: warning:
}

/* ---- spawn wrapper: the child inherits the write end --------------------- */

/* Starts a long-running command, then reads what the pipe brings until
 * end-of-file. The command inherits the write end (no O_CLOEXEC) and keeps
 * it open while it runs, so the read waits for the command's end, although
 * the command never writes to the pipe. */
long wait_for_pipe(char *const argv[])
{
  int p[2];
  char buf[256];
  long n, total = 0;
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = start_cmd(argv);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: write end 'p[1]' is inherited by the child that 'start_cmd' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return total;
}

/* The same with O_CLOEXEC: the command does not get the write end. */
long wait_for_pipe_ok(char *const argv[])
{
  int p[2];
  char buf[256];
  long n, total = 0;
  pid_t pid;

  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid = start_cmd(argv);
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    total += n;
  close(p[0]);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return total;
}

/* The same through the depth-2 wrapper, the pid stored through an
 * out-parameter, the ends returned and given through a pointer. */
int open_channel(char *const argv[], int *wfd, pid_t *pidp)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *pidp = start_cmd_logged(argv);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: write end 'p[1]' is inherited by the child that 'start_cmd_logged' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: pipe created here
  *wfd = p[1];
  return p[0];
}

int open_channel_ok(char *const argv[], int *wfd, pid_t *pidp)
{
  int p[2];

  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  *pidp = start_cmd_logged(argv);
  *wfd = p[1];
  return p[0];
}

static char *sleeper[] = {"sleep", "30", NULL};
static char *printer[] = {"sh", "-c", "echo hello", NULL};
static char *silent[] = {"true", NULL};

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  char buf[16];

  if (strcmp(s, "fork-output") == 0)
    return output_size(printer) != 6;
  if (strcmp(s, "fork-output-ok") == 0)
    return output_size_ok(printer) != 6;
  if (strcmp(s, "fork-struct") == 0)
    return first_byte(silent, 0) != -1;
  if (strcmp(s, "fork-struct-ok") == 0)
    return first_byte(silent, 1) != -1;
  if (strcmp(s, "spawn-inherits") == 0)
    return wait_for_pipe(sleeper) != 0;
  if (strcmp(s, "spawn-inherits-ok") == 0)
    return wait_for_pipe_ok(sleeper) != 0;
  if (strcmp(s, "spawn-inherits-2") == 0 || strcmp(s, "spawn-inherits-2-ok") == 0) {
    int w;
    pid_t pid;
    int r = strcmp(s, "spawn-inherits-2") == 0 ? open_channel(sleeper, &w, &pid)
                                               : open_channel_ok(sleeper, &w, &pid);
    if (r < 0)
      return 1;
    /* The writer is done with the channel: the reader sees end-of-file,
     * unless the sleeper holds a copy of the write end. */
    close(w);
    while (read(r, buf, sizeof buf) > 0)
      ;
    kill(pid, SIGTERM);
    return 0;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

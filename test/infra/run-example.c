// Runner self-test of run_example.py: each expectation (hang, abort, exit)
// passes for a scenario that does it and fails for one that does not, and
// children that a scenario leaks (even into a session of their own) are
// killed when the scenario is over.
//
// RUN: %run_example %s forgets_write_end hang
// RUN: %run_example %s closes_write_end exit
// RUN: %run_example %s aborts abort
//
// RUN: not %run_example %s closes_write_end hang > %t.1 2>&1
// RUN: FileCheck %s --check-prefix=NOT-HANG --input-file=%t.1
// NOT-HANG: run_example: FAIL: scenario 'closes_write_end' was expected to hang {{.*}}, but it exited with status 0
//
// RUN: not %run_example %s forgets_write_end exit --timeout 1 > %t.2 2>&1
// RUN: FileCheck %s --check-prefix=NOT-EXIT --input-file=%t.2
// NOT-EXIT: run_example: FAIL: scenario 'forgets_write_end' was expected to exit with status 0 within 1 s, but it was still running when the timeout expired
//
// RUN: not %run_example %s aborts exit > %t.3 2>&1
// RUN: FileCheck %s --check-prefix=ABORTED --input-file=%t.3
// ABORTED: but it was killed by SIGABRT
//
// RUN: not %run_example %s closes_write_end abort > %t.4 2>&1
// RUN: FileCheck %s --check-prefix=NOT-ABORT --input-file=%t.4
// NOT-ABORT: was expected to abort (SIGABRT) within 20 s, but it exited with status 0
//
// RUN: not %run_example %s exits_3 exit > %t.5 2>&1
// RUN: FileCheck %s --check-prefix=STATUS --input-file=%t.5
// STATUS: but it exited with status 3
// STATUS: ----- output of the scenario -----
// STATUS-NEXT: exits_3 says goodbye
//
// RUN: not %run_example %s no_such_scenario exit > %t.6 2>&1
// RUN: FileCheck %s --check-prefix=UNKNOWN --input-file=%t.6
// UNKNOWN: but it exited with status 64
//
// RUN: rm -f %t.pids
// RUN: env PIDFILE=%t.pids %run_example %s leaks_children exit
// RUN: env PIDFILE=%t.pids %run_example %s leaked_children_are_gone exit
// RUN: rm -f %t.pids
// RUN: env PIDFILE=%t.pids %run_example %s leaks_children_and_hangs hang
// RUN: env PIDFILE=%t.pids %run_example %s leaked_children_are_gone exit
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The bug pipe-unclosed-write-end reports: the parent keeps its copy of the
   write end, so its read() never sees end-of-file. */
static int read_child_output(int close_write_end) {
  int fds[2];
  char buf[64];
  if (pipe(fds))
    return 1;
  pid_t pid = fork();
  if (pid < 0)
    return 1;
  if (pid == 0) {
    close(fds[0]);
    write(fds[1], "hello\n", 6);
    _exit(0);
  }
  if (close_write_end)
    close(fds[1]);
  while (read(fds[0], buf, sizeof buf) > 0)
    ;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return 0;
}

static void record_pid(FILE *f) {
  fprintf(f, "%ld\n", (long)getpid());
  fflush(f);
}

/* Starts a child in our process group and a grandchild in a session of its
   own, writes their pids to $PIDFILE, and waits until both are written. */
static int leak_children(void) {
  const char *path = getenv("PIDFILE");
  int sync[2];
  if (!path || pipe(sync))
    return 2;
  FILE *f = fopen(path, "w");
  if (!f)
    return 2;
  if (fork() == 0) {
    record_pid(f);
    if (fork() == 0) {
      setsid();
      record_pid(f);
      close(sync[1]);
      for (;;)
        pause();
    }
    close(sync[1]);
    for (;;)
      pause();
  }
  fclose(f);
  close(sync[1]);
  char c;
  while (read(sync[0], &c, 1) > 0) /* end-of-file: both have written */
    ;
  return 0;
}

static int leaked_children_are_gone(void) {
  const char *path = getenv("PIDFILE");
  FILE *f = path ? fopen(path, "r") : NULL;
  long pid;
  int n = 0, alive = 0;
  if (!f)
    return 2;
  while (fscanf(f, "%ld", &pid) == 1) {
    n++;
    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) {
      printf("process %ld is still alive\n", pid);
      alive++;
    }
  }
  fclose(f);
  if (n != 2) {
    printf("expected 2 pids, found %d\n", n);
    return 2;
  }
  return alive ? 1 : 0;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "forgets_write_end"))
    return read_child_output(0);
  if (!strcmp(s, "closes_write_end"))
    return read_child_output(1);
  if (!strcmp(s, "aborts"))
    abort();
  if (!strcmp(s, "exits_3")) {
    puts("exits_3 says goodbye");
    return 3;
  }
  if (!strcmp(s, "leaks_children"))
    return leak_children();
  if (!strcmp(s, "leaks_children_and_hangs")) {
    if (leak_children())
      return 2;
    for (;;)
      pause();
  }
  if (!strcmp(s, "leaked_children_are_gone"))
    return leaked_children_are_gone();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 64;
}

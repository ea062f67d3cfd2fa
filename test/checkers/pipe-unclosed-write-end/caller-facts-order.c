// Caller facts do not depend on which check asks the callers first. The
// project's caller facts (CallerFactsFile) are an option of
// pipe-unclosed-write-end; pipe-self-deadlock asks the same question when
// it leaves the read of a start helper's child pipe to that check's report
// (one warning per defect). The answers were kept for the translation unit
// under the model alone, made by whichever check asked first: when
// pipe-self-deadlock asked first (here, in xtu_count_words(), the first
// function whose callers anyone asks about, once pipe-unclosed-write-end
// reports leaks before exit), they were made without the facts, and
// EARLY_OUT_PARAM (a function before it whose callers
// pipe-unclosed-write-end asks about) changed what pipe-self-deadlock
// reported. Now the question is asked as pipe-unclosed-write-end asks it,
// with its facts and options, and the answers are kept per model and
// facts: both orders give the same findings.
//
// xtu_count_words() gets a pipe whose write end open_words() made its
// child's standard output and left open in the parent, reads it to
// end-of-file (a hang) and returns -1 with the write end still open when it
// read nothing. Its only caller (Inputs/caller-facts-order-callers.c) exits
// on -1.
//
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %s %t.c
// RUN: env PIPE_TIDY_RECORD_CALLER_FACTS=%t.d %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} %t.c %S/Inputs/caller-facts-order-callers.c -- -I%S/Inputs 2>&1 | FileCheck %s --check-prefix=FIRST --allow-empty
// FIRST-NOT: warning:
// RUN: cat %t.d/*.facts > %t.facts
//
// With the facts, every caller ends the process where the write end is
// left open: pipe-unclosed-write-end says nothing of the helper, and the
// read that hangs is pipe-self-deadlock's to report. In both orders.
// RUN: %check_pipe_tidy -check-suffixes=FACTS %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=FACTS %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}]}" -- -I%S/Inputs -DEARLY_OUT_PARAM
// Without the facts, or when pipe-unclosed-write-end reports leaks before
// exit: the helper is reported, and the read is left to that report. In
// both orders (before, with EARLY_OUT_PARAM, the read was reported too).
// RUN: %check_pipe_tidy -check-suffixes=HELPER %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=HELPER %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}, {key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs
// RUN: %check_pipe_tidy -check-suffixes=HELPER %s pipe-self-deadlock,pipe-unclosed-write-end %t -- -config="{CheckOptions: [{key: pipe-unclosed-write-end.CallerFactsFile, value: '%t.facts'}, {key: pipe-unclosed-write-end.ReportLeaksBeforeExit, value: true}]}" -- -I%S/Inputs -DEARLY_OUT_PARAM
//
// The read hangs: the parent still holds the write end after echo exits.
// RUN: %run_example %s count hang -- -I%S/Inputs %S/Inputs/caller-facts-order-callers.c

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caller-facts-order.h"

#ifdef EARLY_OUT_PARAM
/* A pipe's ends in *rfd and *wfd: a function with out-parameters, whose
 * callers pipe-unclosed-write-end asks about before any other function
 * here. */
int xtu_make_pipe(int *rfd, int *wfd)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  *rfd = p[0];
  *wfd = p[1];
  return 0;
}
#endif

struct words {
  int out[2];
  pid_t pid;
};

/* Starts `echo` writing two words to a new pipe (w->pid -1: failed); the
 * parent's copy of the write end w->out[1] stays open. */
static void open_words(struct words *w)
{
  if (pipe(w->out) < 0) {
    w->pid = -1;
    return;
  }
  w->pid = fork();
  if (w->pid < 0) {
    close(w->out[0]);
    close(w->out[1]);
    return;
  }
  if (w->pid == 0) {
    dup2(w->out[1], STDOUT_FILENO);
    close(w->out[0]);
    close(w->out[1]);
    execlp("echo", "echo", "two", "words", (char *)NULL);
    _exit(127);
  }
  // CHECK-MESSAGES-HELPER: :[[@LINE+2]]:1: warning: write end 'w->out[1]' of the pipe that 'open_words' makes its child's standard output is still open in the parent when 'open_words' returns here, and 'xtu_count_words' does not close it either; readers of the pipe never see end-of-file while the parent holds it; close 'w->out[1]' in the parent right after fork() [pipe-unclosed-write-end]
  // CHECK-MESSAGES-HELPER: :[[@LINE-18]]:7: note: pipe created here
}

long xtu_count_words(void)
{
  struct words w;
  char c;
  long n = 0;

  // CHECK-MESSAGES-HELPER: :[[@LINE+1]]:3: note: 'xtu_count_words' gets it here as 'w.out[1]'
  open_words(&w);
  if (w.pid < 0)
    return -1;
  // CHECK-MESSAGES-FACTS: :[[@LINE+2]]:10: warning: reading 'w.out[0]' until end-of-file never ends: this process still holds the write end 'w.out[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'w.out[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES-FACTS: :[[@LINE-4]]:3: note: pipe created here
  while (read(w.out[0], &c, 1) == 1)
    n++;
  close(w.out[0]);
  waitpid(w.pid, NULL, 0);
  // CHECK-MESSAGES-HELPER: :[[@LINE+2]]:5: note: and returns here with 'w.out[1]' still open
  if (n == 0)
    return -1;
  close(w.out[1]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "count") == 0) {
    xtu_run_count();
    return 0;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

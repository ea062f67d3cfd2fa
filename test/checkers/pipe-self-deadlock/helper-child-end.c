// pipe-self-deadlock and a start helper that leaves its caller the
// parent's copy of its child's output write end (`open_words(&w)` filling
// `w->out[0]`, `w->out[1]` and `w->pid`, the write end never closed in the
// parent). A caller that reads the output to end-of-file and never closes
// the write end has one defect, in the helper: pipe-unclosed-write-end
// reports it there (one warning per defect), and this check says nothing
// about the read. A caller that closes the write end only after its read
// loop has a defect of its own, at the loop: reported here. With
// pipe-unclosed-write-end disabled, the first read is reported here too.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %check_pipe_tidy -check-suffixes=ALONE %s pipe-self-deadlock %t
// RUN: %run_example %s never-closed hang
// RUN: %run_example %s closed-after-loop hang
// RUN: %run_example %s closed-before-loop exit

#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct words {
  int out[2];
  pid_t pid;
};

/* Starts `echo` writing two words to a new pipe. */
static int open_words(struct words *w)
{
  if (pipe(w->out) < 0)
    return -1;
  w->pid = fork();
  if (w->pid < 0) {
    close(w->out[0]);
    close(w->out[1]);
    return -1;
  }
  if (w->pid == 0) {
    dup2(w->out[1], STDOUT_FILENO);
    close(w->out[0]);
    close(w->out[1]);
    execlp("echo", "echo", "two", "words", (char *)NULL);
    _exit(127);
  }
  // CHECK-MESSAGES: :[[@LINE+4]]:3: warning: write end 'w->out[1]' of the pipe that 'open_words' makes its child's standard output is still open in the parent when 'open_words' returns here, and 'never_closed' does not close it either; readers of the pipe never see end-of-file while the parent holds it; close 'w->out[1]' in the parent right after fork() [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: pipe created here
  // The parent's copy of w->out[1] stays open.
  /* (no close here) */
  return 0;
}

long never_closed(void)
{
  struct words w;
  char c;
  long n = 0;

  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: 'never_closed' gets it here as 'w.out[1]'
  if (open_words(&w) < 0)
    return -1;
  // CHECK-MESSAGES-ALONE: :[[@LINE+2]]:10: warning: reading 'w.out[0]' until end-of-file never ends: this process still holds the write end 'w.out[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'w.out[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES-ALONE: :[[@LINE-3]]:7: note: pipe created here
  while (read(w.out[0], &c, 1) == 1)
    n++;
  close(w.out[0]);
  waitpid(w.pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE+1]]:3: note: and returns here with 'w.out[1]' still open
  return n;
}

long closed_after_loop(void)
{
  struct words w;
  char c;
  long n = 0;

  if (open_words(&w) < 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE+4]]:10: warning: reading 'w.out[0]' until end-of-file never ends: this process still holds the write end 'w.out[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'w.out[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: pipe created here
  // CHECK-MESSAGES-ALONE: :[[@LINE+2]]:10: warning: reading 'w.out[0]' until end-of-file never ends: this process still holds the write end 'w.out[1]'; the child process it was passed to holds only a copy, and its exit does not close this one; close 'w.out[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES-ALONE: :[[@LINE-5]]:7: note: pipe created here
  while (read(w.out[0], &c, 1) == 1)
    n++;
  close(w.out[1]);
  close(w.out[0]);
  waitpid(w.pid, NULL, 0);
  return n;
}

long closed_before_loop(void)
{
  struct words w;
  char c;
  long n = 0;

  if (open_words(&w) < 0)
    return -1;
  close(w.out[1]);
  while (read(w.out[0], &c, 1) == 1)
    n++;
  close(w.out[0]);
  waitpid(w.pid, NULL, 0);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "never-closed") == 0)
    return never_closed() < 0;
  if (strcmp(s, "closed-after-loop") == 0)
    return closed_after_loop() < 0;
  if (strcmp(s, "closed-before-loop") == 0)
    return closed_before_loop() != 10;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

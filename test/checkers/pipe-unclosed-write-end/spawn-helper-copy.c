// pipe-unclosed-write-end: a pipe's write end given to a helper that starts
// a child with it (fork, dup2 onto the child's standard output, exec). The
// child has a copy; the caller's copy is still the caller's to close. A
// two-stage pipeline whose parent keeps the link's write end: the second
// stage never sees end-of-file on its input, and the parent's read of its
// output never ends. The second stage also inherits the link's write end
// (and the first the capture's), since neither pipe has O_CLOEXEC and the
// helper's child closes nothing it does not name: closing the parent's
// copy before the read is not enough. The helper is one or two calls deep;
// the near misses close the link in the parent before the second stage
// starts, or the helper closes the caller's copy in its parent branch, and
// make the capture pipe with O_CLOEXEC.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s pipeline hang
// RUN: %run_example %s pipeline-deep hang
// RUN: %run_example %s pipeline-closed exit
// RUN: %run_example %s pipeline-helper-closes exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs argv with 'in' as its standard input and 'out' as its output. */
static pid_t spawn_stage(char *const argv[], int in, int out)
{
  pid_t pid = fork();
  if (pid == 0) {
    if (in != 0)
      dup2(in, 0);
    if (out != 1)
      dup2(out, 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  return pid;
}

/* The same, logging what it starts: the fork two calls deep. */
static pid_t start_logged(char *const argv[], int in, int out)
{
  fprintf(stderr, "starting %s\n", argv[0]);
  return spawn_stage(argv, in, out);
}

/* A helper that also closes the caller's copy of the output in the
 * parent, as some pipeline builders do. */
static pid_t spawn_stage_closing(char *const argv[], int in, int out)
{
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in, 0);
    dup2(out, 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(out);
  return pid;
}

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

/* printf a b | wc -l, the count read back. */
long count_lines(void)
{
  char *first[] = {"printf", "a\\nb\\n", NULL};
  char *second[] = {"wc", "-l", NULL};
  int link[2], cap[2];
  char buf[64];
  long total = 0;
  ssize_t n;

  if (pipe(cap) < 0)
    return -1;
  if (pipe(link) < 0) {
    close(cap[0]);
    close(cap[1]);
    return -1;
  }
  pid_t p1 = spawn_stage(first, 0, link[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'cap[1]' is inherited by the child that 'spawn_stage' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  pid_t p2 = spawn_stage(second, link[0], cap[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'link[1]' is inherited by the child that 'spawn_stage' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(link[0]);
  close(cap[1]);
  while ((n = read(cap[0], buf, sizeof buf)) > 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'read' waits for end-of-file on the output of child process 'p2' while this process still holds write end 'link[1]' of that child's standard input; the child waits for end-of-file on its input and never finishes, so both wait forever; close 'link[1]' before reading the child's output [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
    total += n;
  close(cap[0]);
  waitpid(p1, NULL, 0);
  waitpid(p2, NULL, 0);
  return total;
}

long count_lines_deep(void)
{
  char *first[] = {"printf", "a\\nb\\n", NULL};
  char *second[] = {"wc", "-l", NULL};
  int link[2], cap[2];
  long total;

  if (pipe(cap) < 0)
    return -1;
  if (pipe(link) < 0) {
    close(cap[0]);
    close(cap[1]);
    return -1;
  }
  pid_t p1 = start_logged(first, 0, link[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'cap[1]' is inherited by the child that 'start_logged' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  pid_t p2 = start_logged(second, link[0], cap[1]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: write end 'link[1]' is inherited by the child that 'start_logged' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  close(link[0]);
  close(cap[1]);
  total = drain(cap[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'drain' waits for end-of-file on the output of child process 'p2' while this process still holds write end 'link[1]' of that child's standard input; the child waits for end-of-file on its input and never finishes, so both wait forever; close 'link[1]' before reading the child's output [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  close(cap[0]);
  waitpid(p1, NULL, 0);
  waitpid(p2, NULL, 0);
  return total;
}

/* Near miss: the parent closes its copy of the link. */
long count_lines_closed(void)
{
  char *first[] = {"printf", "a\\nb\\n", NULL};
  char *second[] = {"wc", "-l", NULL};
  int link[2], cap[2];
  long total;

  if (pipe2(cap, O_CLOEXEC) < 0)
    return -1;
  if (pipe(link) < 0) {
    close(cap[0]);
    close(cap[1]);
    return -1;
  }
  pid_t p1 = start_logged(first, 0, link[1]);
  close(link[1]);
  pid_t p2 = start_logged(second, link[0], cap[1]);
  close(link[0]);
  close(cap[1]);
  total = drain(cap[0]);
  close(cap[0]);
  waitpid(p1, NULL, 0);
  waitpid(p2, NULL, 0);
  return total;
}

/* Near miss: the helper closes the caller's copy of each output. */
long count_lines_helper_closes(void)
{
  char *first[] = {"printf", "a\\nb\\n", NULL};
  char *second[] = {"wc", "-l", NULL};
  int link[2], cap[2];
  long total;

  if (pipe2(cap, O_CLOEXEC) < 0)
    return -1;
  if (pipe(link) < 0) {
    close(cap[0]);
    close(cap[1]);
    return -1;
  }
  pid_t p1 = spawn_stage_closing(first, 0, link[1]);
  pid_t p2 = spawn_stage_closing(second, link[0], cap[1]);
  close(link[0]);
  total = drain(cap[0]);
  close(cap[0]);
  waitpid(p1, NULL, 0);
  waitpid(p2, NULL, 0);
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "pipeline") == 0)
    return count_lines() < 0;
  if (strcmp(s, "pipeline-deep") == 0)
    return count_lines_deep() < 0;
  if (strcmp(s, "pipeline-closed") == 0)
    return count_lines_closed() <= 0;
  if (strcmp(s, "pipeline-helper-closes") == 0)
    return count_lines_helper_closes() <= 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

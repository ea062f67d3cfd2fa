// A program that inherits the write end of its own standard input, and that
// this process talks with in-band: it writes commands, reads the replies
// while it still holds its own copy of that write end, and never waits for
// the program once it has closed its copy (glib's stack_trace(): gdb gets
// "backtrace" and "quit"). The inherited copy makes no one wait, so
// pipe-unclosed-write-end is silent; the scenarios finish. The same partner
// waited for after the close (`close(in[1]); waitpid(...)`), a partner whose
// pid is returned to a caller that waits for it, and a program fed without
// reading a reply are reported: they hang. So is a partner asked one
// question by a process that then leaves without a SIGCHLD handler to learn
// when it ends: the partner, a line filter, outlives it for ever.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s quit-command exit
// RUN: %run_example %s quit-command-helper exit
// RUN: %run_example %s close-then-wait hang
// RUN: %run_example %s close-then-return hang
// RUN: %run_example %s fed-then-exit hang
// RUN: %run_example %s orphan-left exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Echoes each line back; ends at a line "quit", or at end-of-file. */
static char *const partner[] = {
    "sh", "-c",
    "while read -r l; do [ \"$l\" = quit ] && exit 0; echo \"got $l\"; done",
    NULL};

static volatile sig_atomic_t partner_done;
static void on_child(int sig) { (void)sig; partner_done = 1; }

/* Reads one reply byte; 0 at end-of-file. */
static int read_reply(int fd, char *c)
{
  return read(fd, c, 1) == 1;
}

/* glib's shape: commands ending in "quit", replies read until the partner
 * has exited (SIGCHLD), then every end closed and the process ends. */
static void quit_command(int via_helper)
{
  int in[2], out[2];
  fd_set fds, ready;
  struct timeval tv;
  char c;

  partner_done = 0;
  signal(SIGCHLD, on_child);
  if (pipe(in) < 0 || pipe(out) < 0)
    _exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    dup(in[0]);
    close(1);
    dup(out[1]);
    execvp(partner[0], partner);
    _exit(127);
  } else if (pid < 0) {
    _exit(1);
  }
  FD_ZERO(&fds);
  FD_SET(out[0], &fds);
  write(in[1], "backtrace\n", 10);
  write(in[1], "quit\n", 5);
  for (;;) {
    ready = fds;
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    int n = select(out[0] + 1, &ready, NULL, NULL, &tv);
    if (n < 0)
      break;
    if (n > 0 && FD_ISSET(out[0], &ready)) {
      if (via_helper ? read_reply(out[0], &c) : read(out[0], &c, 1) == 1)
        fputc(c, stderr);
    } else if (partner_done) {
      break;
    }
  }
  close(in[0]);
  close(in[1]);
  close(out[0]);
  close(out[1]);
  _exit(0);
}

/* Asks one question, reads the reply while it still holds in[1], then
 * closes every end and ends the process, with no SIGCHLD handler to learn
 * when the partner ends: the partner, a line filter that needs end-of-file
 * to exit, holds in[1] itself and runs on for ever. */
static void ask_and_leave(void)
{
  int in[2], out[2];
  char c;

  if (pipe(in) < 0 || pipe(out) < 0)
    _exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    dup(in[0]);
    close(1);
    dup(out[1]);
    execvp(partner[0], partner);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the true branch
    _exit(127);
  } else if (pid < 0) {
    _exit(1);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], "one\n", 4);
  while (read(out[0], &c, 1) == 1 && c != '\n')
    ;
  close(in[1]);
  close(out[0]);
  _exit(0);
}

/* Asks one question, reads the reply, closes the input and waits: the
 * partner holds in[1] itself and never sees end-of-file. */
static int close_then_wait(void)
{
  int in[2], out[2];
  char c;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    dup(in[0]);
    close(1);
    dup(out[1]);
    execvp(partner[0], partner);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the true branch
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], "one\n", 4);
  while (read(out[0], &c, 1) == 1 && c != '\n')
    ;
  close(in[1]);
  close(out[0]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* The same partner, its pid returned: the caller waits for it. */
static pid_t close_then_return(void)
{
  int in[2], out[2];
  char c;

  if (pipe(in) < 0)
    return -1;
  if (pipe(out) < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    dup(in[0]);
    close(1);
    dup(out[1]);
    execvp(partner[0], partner);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: taking the true branch
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  write(in[1], "one\n", 4);
  while (read(out[0], &c, 1) == 1 && c != '\n')
    ;
  close(in[1]);
  close(out[0]);
  return pid;
}

/* Fed its input, no reply read, the input closed, and the process ends
 * after waiting for it. */
static void fed_then_exit(void)
{
  int in[2];

  if (pipe(in) < 0)
    _exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(0);
    dup(in[0]);
    execvp(partner[0], partner);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in[1]' is inherited by the child that 'execvp' starts because it lacks O_CLOEXEC; while that child runs, readers of the pipe never see end-of-file; create the pipe with pipe2(..., O_CLOEXEC) or close the end before this call [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    _exit(127);
  }
  close(in[0]);
  write(in[1], "one\n", 4);
  close(in[1]);
  waitpid(pid, NULL, 0);
  _exit(0);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "quit-command") == 0)
    quit_command(0);
  if (strcmp(s, "quit-command-helper") == 0)
    quit_command(1);
  if (strcmp(s, "close-then-wait") == 0)
    return close_then_wait() != 0;
  if (strcmp(s, "close-then-return") == 0) {
    pid_t pid = close_then_return();
    return pid < 0 || waitpid(pid, NULL, 0) != pid;
  }
  if (strcmp(s, "fed-then-exit") == 0)
    fed_then_exit();
  if (strcmp(s, "orphan-left") == 0) {
    /* Exits 0 when the partner outlives the process that started it. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t mid = fork();
    if (mid == 0)
      ask_and_leave();
    waitpid(mid, NULL, 0);
    usleep(300000);
    return waitpid(-1, NULL, WNOHANG) == 0 ? 0 : 1;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// A child that inherits the write end of the pipe made for it, in C. The
// parent makes a pipe, starts one child with the write end (posix_spawn()
// without a dup2 of it, or fork() and exec), closes its own copy right
// after, and reads the read end to end-of-file to learn that the child and
// everything it started have finished (ninja's console mode). The child is
// the pipe's only writer by construction: silent. Reported as before: the
// child also gets the read end as its standard input (it waits for an
// end-of-file that it holds back itself), a second child is started while
// the write end is still open (the reader waits for that one too), and the
// parent keeps its copy.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s console-spawn exit
// RUN: %run_example %s console-fork exit
// RUN: %run_example %s child-reads hang
// RUN: %run_example %s child-reads-fork hang
// RUN: %run_example %s second-child hang
// RUN: %run_example %s parent-keeps hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Reads fd until end-of-file. */
static void wait_eof(int fd)
{
  char buf[256];
  while (read(fd, buf, sizeof buf) > 0)
    ;
}

/* ---- silent: the child is the pipe's only writer ---- */

/* Runs 'cmd' on the terminal; returns when it and its descendants are done
 * (the read end sees end-of-file), or -1. */
int run_console(const char *cmd)
{
  int done[2];
  pid_t pid;
  posix_spawn_file_actions_t fa;
  char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};

  if (pipe(done) < 0)
    return -1;
  if (fcntl(done[0], F_SETFD, FD_CLOEXEC) < 0 ||
      posix_spawn_file_actions_init(&fa) != 0) {
    close(done[0]);
    close(done[1]);
    return -1;
  }
  posix_spawn_file_actions_addclose(&fa, done[0]);
  if (posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(done[0]);
    close(done[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(done[1]);
  wait_eof(done[0]);
  close(done[0]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* The same with fork() and exec: the child closes the read end. */
int run_console_fork(const char *cmd)
{
  int done[2];
  pid_t pid;

  if (pipe(done) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(done[0]);
    close(done[1]);
    return -1;
  }
  if (pid == 0) {
    close(done[0]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(done[1]);
  wait_eof(done[0]);
  close(done[0]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* ---- reported ---- */

/* The child gets the read end as its standard input, and the write end
 * too: cat never sees end-of-file on its input. */
int run_filter(void)
{
  int in[2];
  pid_t pid;
  posix_spawn_file_actions_t fa;
  char *argv[] = {"cat", NULL};

  if (pipe(in) < 0)
    return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_addclose(&fa, in[0]);
  if (posix_spawnp(&pid, "cat", &fa, NULL, argv, environ) != 0) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'in[1]' is inherited by the child that 'posix_spawnp' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(in[1]);
    return -1;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(in[1]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* The same with fork() and exec. */
int run_filter_fork(void)
{
  int in[2];
  pid_t pid;

  if (pipe(in) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    close(in[0]);
    execlp("cat", "cat", (char *)NULL);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: write end 'in[1]' is inherited by the child that 'execlp' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
    _exit(127);
  }
  close(in[0]);
  close(in[1]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* A second child started while the first one's write end is open: the
 * reader waits for the second one as well (a long-running program). */
int run_two(const char *cmd)
{
  int done[2];
  pid_t pid, other;
  posix_spawn_file_actions_t fa;
  char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
  char *daemon[] = {"sleep", "30", NULL};

  if (pipe(done) < 0)
    return -1;
  fcntl(done[0], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, done[0]);
  if (posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ) != 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'done[1]' is inherited by the child that 'posix_spawn' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
    pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  if (posix_spawnp(&other, "sleep", NULL, NULL, daemon, environ) != 0)
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'done[1]' is inherited by the child that 'posix_spawnp' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    other = -1;
  close(done[1]);
  wait_eof(done[0]);
  close(done[0]);
  return pid > 0 && waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

/* The parent keeps its copy while it waits for end-of-file. */
int run_keeps(const char *cmd)
{
  int done[2];
  pid_t pid;
  char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};

  if (pipe(done) < 0)
    return -1;
  fcntl(done[0], F_SETFD, FD_CLOEXEC);
  if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0) {
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 'done[1]' is inherited by the child that 'posix_spawn' starts because it lacks O_CLOEXEC
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
    close(done[0]);
    close(done[1]);
    return -1;
  }
  wait_eof(done[0]);
  close(done[0]);
  close(done[1]);
  return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "console-spawn") == 0)
    return run_console("echo spawned; sleep 0.1") != 0;
  if (strcmp(s, "console-fork") == 0)
    return run_console_fork("echo forked; sleep 0.1") != 0;
  if (strcmp(s, "child-reads") == 0)
    return run_filter() != 0;
  if (strcmp(s, "child-reads-fork") == 0)
    return run_filter_fork() != 0;
  if (strcmp(s, "second-child") == 0)
    return run_two("true") != 0;
  if (strcmp(s, "parent-keeps") == 0)
    return run_keeps("true") != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

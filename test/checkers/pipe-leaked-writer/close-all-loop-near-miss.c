// Near misses of pipe-leaked-writer (smartmontools' popen_as_ugid.cpp,
// bench/repro/close_all_loop_child.c): writer children that close every
// descriptor but the ones they keep in a loop over descriptor numbers, and
// forks tested inside a negated && chain. Each child closes its copy of
// the read end, so the parent's close() makes its write fail with EPIPE;
// the failure branch of the chain is taken only where fork() failed or
// never ran, so no child is left behind there. Every scenario finishes,
// and the check stays silent.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s close-all-up exit
// RUN: %run_example %s close-all-down exit
// RUN: %run_example %s close-all-guarded exit
// RUN: %run_example %s narrow-loop exit
// RUN: %run_example %s negated-chain exit
// RUN: %run_example %s chain-in-variable exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* Reads one byte, gives up, closes the read end and reaps the child. */
static int first_byte_then_reap(int rd, pid_t pid)
{
  char c = 0;
  read_full(rd, &c, 1);
  close(rd);
  waitpid(pid, NULL, 0);
  return c;
}

/* Reads everything, closes the read end and reaps the child. */
static long drain_then_reap(int rd, pid_t pid)
{
  long n = drain(rd);
  close(rd);
  waitpid(pid, NULL, 0);
  return n;
}

/* Upwards from 0 to getdtablesize(), skipping the write ends it keeps
 * (the smartmontools loop): the child's copy of p[0] is closed. */
int close_all_up(void)
{
  int p[2], status[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  if (pipe(status) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    close(status[0]);
    close(status[1]);
    return -1;
  }
  if (pid == 0) {
    for (int i = 0; i < getdtablesize(); i++) {
      if (i == p[1] || i == status[1])
        continue;
      close(i);
    }
    write_filled(p[1], 'u', 'u', MIB);
    _exit(0);
  }
  close(p[1]);
  close(status[1]);
  close(status[0]);
  return first_byte_then_reap(p[0], pid);
}

/* Downwards from sysconf(_SC_OPEN_MAX) - 1 to 3. */
int close_all_down(void)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    int fd;
    for (fd = (int)sysconf(_SC_OPEN_MAX) - 1; fd > 2; --fd) {
      if (fd == p[1])
        continue;
      close(fd);
    }
    write_filled(p[1], 'd', 'd', MIB);
    _exit(0);
  }
  close(p[1]);
  return first_byte_then_reap(p[0], pid);
}

/* `if (fd != keep) close(fd);` from 3 up to a large constant. */
int close_all_guarded(void)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    for (int fd = 3; fd < 1024; fd++)
      if (fd != p[1])
        close(fd);
    write_filled(p[1], 'g', 'g', MIB);
    _exit(0);
  }
  close(p[1]);
  return first_byte_then_reap(p[0], pid);
}

/* A loop over a few numbers only: whether it reaches p[0] depends on the
 * number p[0] got (here 3, so it does). The check cannot tell, and says
 * nothing. */
int narrow_loop(void)
{
  int p[2];
  pid_t pid;

  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    for (int fd = 3; fd < 16; fd++)
      if (fd != p[1])
        close(fd);
    write_filled(p[1], 'n', 'n', MIB);
    _exit(0);
  }
  close(p[1]);
  return first_byte_then_reap(p[0], pid);
}

/* The pipe and the fork in one negated && chain: its failure branch has no
 * child (fork() failed or never ran). The child keeps its copy of the read
 * end, but the parent reads everything before it waits. */
int negated_chain(void)
{
  int p[2] = {-1, -1};
  pid_t pid = -1;

  if (!(!pipe(p) && (pid = fork()) != -1)) {
    if (p[0] >= 0) {
      close(p[0]);
      close(p[1]);
    }
    return -1;
  }
  if (!pid) {
    write_filled(p[1], 'c', 'c', MIB);
    _exit(0);
  }
  close(p[1]);
  return drain_then_reap(p[0], pid);
}

/* The same chain kept in a variable first. */
int chain_in_variable(void)
{
  int p[2] = {-1, -1};
  pid_t pid = -1;
  int started = pipe(p) == 0 && (pid = fork()) >= 0;

  if (!started) {
    if (p[0] >= 0) {
      close(p[0]);
      close(p[1]);
    }
    return -1;
  }
  if (pid == 0) {
    write_filled(p[1], 'v', 'v', MIB);
    _exit(0);
  }
  close(p[1]);
  return drain_then_reap(p[0], pid);
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "close-all-up") == 0)
    return close_all_up() != 'u';
  if (strcmp(s, "close-all-down") == 0)
    return close_all_down() != 'd';
  if (strcmp(s, "close-all-guarded") == 0)
    return close_all_guarded() != 'g';
  if (strcmp(s, "narrow-loop") == 0)
    return narrow_loop() != 'n';
  if (strcmp(s, "negated-chain") == 0)
    return negated_chain() != MIB;
  if (strcmp(s, "chain-in-variable") == 0)
    return chain_in_variable() != MIB;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

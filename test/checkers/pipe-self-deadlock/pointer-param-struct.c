// pipe-self-deadlock with the pipe kept in a struct the function was given
// a pointer to (`pipe(c->fds)`), or stored there from a local pair
// (`c->rd`, `c->wr`): the function writes more than the pipe holds before
// reading it back, or reads it to end-of-file while the struct still holds
// the write end. Both block forever.
//
// The near misses write less than the pipe holds, and close the write end
// before the read loop; both finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -I%S
// RUN: %run_example %s write-then-read hang
// RUN: %run_example %s write-then-read-small exit
// RUN: %run_example %s child-then-read hang
// RUN: %run_example %s child-then-read-closed exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

static char chunk[1 << 17];

struct channel {
  int fds[2];
  int rd, wr;
  pid_t child;
};

long write_then_read(struct channel *c, int small)
{
  long got;

  if (pipe(c->fds) < 0)
    return -1;
  if (small)
    write_all(c->fds[1], chunk, 16);
  else
    write_all(c->fds[1], chunk, sizeof chunk);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing 131072 bytes to 'c->fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
    // CHECK-MESSAGES: :[[@LINE+3]]:9: note: this thread reads the pipe back here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  close(c->fds[1]);
  got = drain(c->fds[0]);
  close(c->fds[0]);
  return got;
}

static int open_channel(struct channel *c)
{
  int p[2];

  if (pipe(p) < 0)
    return -1;
  c->rd = p[0];
  c->wr = p[1];
  return 0;
}

long child_then_read(struct channel *c, int close_first)
{
  long got;

  if (open_channel(c) < 0)
    return -1;
  c->child = fork();
  if (c->child < 0)
    exit(1);
  if (c->child == 0) {
    close(c->rd);
    write_all(c->wr, "done\n", 5);
    close(c->wr);
    _exit(0);
  }
  if (close_first)
    close(c->wr);
  got = drain(c->rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: reading 'c->rd' until end-of-file never ends: this process still holds the write end 'c->wr', and a fork() child closing its own copy does not close this one; close 'c->wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
  close(c->rd);
  if (!close_first)
    close(c->wr);
  waitpid(c->child, NULL, 0);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  struct channel c;

  if (strcmp(s, "write-then-read") == 0)
    return write_then_read(&c, 0) < 0;
  if (strcmp(s, "write-then-read-small") == 0)
    return write_then_read(&c, 1) != 16;
  if (strcmp(s, "child-then-read") == 0)
    return child_then_read(&c, 0) < 0;
  if (strcmp(s, "child-then-read-closed") == 0)
    return child_then_read(&c, 1) != 5;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-leaked-writer's options. PipeCapacity is the number of bytes a pipe
// holds: a writer task that provably writes no more than that finishes on
// its own, so joining it before closing the read end is fine. Here a thread
// writes 16 KiB into a pipe shrunk to one page (4096 bytes) with
// F_SETPIPE_SZ. With the default capacity (65536) the check stays silent;
// told that pipes hold 4096 bytes (as a check-local or a global key), it
// reports the join, which really hangs.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %check_pipe_tidy -check-suffix=SMALL %s pipe-leaked-writer %t -- -config="{CheckOptions: [{key: pipe-leaked-writer.PipeCapacity, value: '4096'}]}" -- -I%S
// RUN: %check_pipe_tidy -check-suffix=SMALL %s pipe-leaked-writer %t -- -config="{CheckOptions: [{key: PipeCapacity, value: '4096'}]}" -- -I%S
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-leaked-writer' -config="{CheckOptions: [{key: pipe-leaked-writer.PipeCapacity, value: '0'}]}" %s -- 2>&1 | FileCheck --check-prefix=BADCAP %s
// BADCAP: error: invalid value '0' for option 'pipe-leaked-writer.PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-leaked-writer' -config="{CheckOptions: [{key: pipe-leaked-writer.Capacity, value: '4096'}]}" %s -- 2>&1 | FileCheck --check-prefix=UNKNOWN %s
// UNKNOWN: warning: unknown option 'pipe-leaked-writer.Capacity'; did you mean 'pipe-leaked-writer.PipeCapacity'? pipe-leaked-writer understands: AnalysisBudget, BorrowFunctions, CloseFunctions, ForkFunctions, NoReturnFunctions, PipeCapacity, PipeCreateFunctions, ReadFunctions, ReportOnErrors, SpawnFunctions, ThreadStartFunctions, WaitFunctions, WarnOnBudgetExhausted, WriteFunctions
//
// RUN: %run_example %s small-pipe hang
// RUN: %run_example %s small-pipe-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* Writes a 16 KiB thumbnail, its format byte first. */
static void *render_thumbnail(void *arg)
{
  int fd = (int)(intptr_t)arg;
  char image[16384];

  memset(image, 't', sizeof image);
  image[0] = 'P';
  write_all(fd, image, sizeof image);
  close(fd);
  return NULL;
}

/* Reads the format byte of a thumbnail a thread renders; a format other
 * than 'expected' is refused, and the thread joined at once. */
int thumbnail_format_is(char expected)
{
  int fds[2];
  pthread_t tid;
  char format;
  char rest[4096];

  if (pipe(fds) < 0)
    return -1;
  if (fcntl(fds[1], F_SETPIPE_SZ, 4096) < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pthread_create(&tid, NULL, render_thumbnail, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], &format, 1) != 1 || format != expected) {
    pthread_join(tid, NULL);
    // CHECK-MESSAGES-SMALL: :[[@LINE-1]]:5: warning: thread 'tid' running 'render_thumbnail' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES-SMALL: :[[@LINE-8]]:7: note: thread 'tid' running 'render_thumbnail' starts here; it writes up to 16384 bytes, more than the pipe holds (4096 bytes)
    // CHECK-MESSAGES-SMALL: :[[@LINE-16]]:7: note: pipe created here
    // CHECK-MESSAGES-SMALL: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return 0;
  }
  while (read(fds[0], rest, sizeof rest) > 0)
    ;
  close(fds[0]);
  pthread_join(tid, NULL);
  return 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  if (strcmp(s, "small-pipe") == 0)
    return thumbnail_format_is('J') != 0;
  if (strcmp(s, "small-pipe-ok") == 0)
    return thumbnail_format_is('P') != 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

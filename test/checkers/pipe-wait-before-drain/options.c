// pipe-wait-before-drain's options. PipeCapacity is the number of bytes a
// pipe holds: a child whose own code provably writes no more than that
// finishes without a reader, so waiting for it before reading is fine.
// Here the child writes a 16 KiB record into a pipe the parent shrank to
// one page (4096 bytes) with F_SETPIPE_SZ. With the default capacity
// (65536) the check stays silent; told that pipes hold 4096 bytes (as a
// check-local or a global key), it reports the waitpid(), which really
// hangs.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %check_pipe_tidy -check-suffix=SMALL %s pipe-wait-before-drain %t -- -config="{CheckOptions: [{key: pipe-wait-before-drain.PipeCapacity, value: '4096'}]}"
// RUN: %check_pipe_tidy -check-suffix=SMALL %s pipe-wait-before-drain %t -- -config="{CheckOptions: [{key: PipeCapacity, value: '4096'}]}"
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-wait-before-drain' -config="{CheckOptions: [{key: pipe-wait-before-drain.PipeCapacity, value: '0'}]}" %s -- 2>&1 | FileCheck --check-prefix=BADCAP %s
// BADCAP: error: invalid value '0' for option 'pipe-wait-before-drain.PipeCapacity': expected a positive integer (bytes) [clang-tidy-config]
//
// RUN: %run_example %s small-pipe hang
// RUN: %run_example %s small-pipe-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORD 16384

/* Has a child build a record and send it back; returns its size. */
static long fetch_record(int wait_first)
{
  static char record[RECORD];
  char buf[4096];
  long total = 0;
  ssize_t n;
  int fds[2], status;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  fcntl(fds[0], F_SETPIPE_SZ, 4096);
  pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(fds[0]);
    memset(record, 'r', sizeof record);
    write(fds[1], record, RECORD);
    _exit(0);
  }
  close(fds[1]);
  if (wait_first) {
    waitpid(pid, &status, 0);
    // CHECK-MESSAGES-SMALL: :[[@LINE-1]]:5: warning: waitpid() waits for child process 'pid' before its output pipe 'fds[0]' is read to the end: the child blocks once the pipe is full (4096 bytes) and never exits, so this wait never returns; read 'fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES-SMALL: :[[@LINE-13]]:9: note: child process 'pid' starts here; it writes up to 16384 bytes, more than the pipe holds (4096 bytes)
    // CHECK-MESSAGES-SMALL: :[[@LINE-17]]:7: note: pipe created here
    // CHECK-MESSAGES-SMALL: :[[@LINE+5]]:15: note: 'fds[0]' is read only here, after the wait
    // CHECK-MESSAGES-SMALL: :[[@LINE-6]]:7: note: taking the true branch
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return -1;
  }
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  close(fds[0]);
  if (!wait_first && (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)))
    return -1;
  return total;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "small-pipe") == 0)
    return fetch_record(1) != RECORD;
  if (strcmp(s, "small-pipe-ok") == 0)
    return fetch_record(0) != RECORD;
  return 2;
}

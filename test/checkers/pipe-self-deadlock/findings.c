// Positive findings of pipe-self-deadlock in C: a read that only this thread
// could satisfy, a read to end-of-file while this process still holds the
// write end, and a write that fills the pipe before this thread reads it
// back. Every finding comes with a scenario that takes the reported path:
// the run lines prove that the program hangs there. The "-ok" scenarios take
// the same functions' other paths and terminate.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s inline-sum hang
// RUN: %run_example %s inline-sum-ok exit
// RUN: %run_example %s socketpair-probe hang
// RUN: %run_example %s render hang
// RUN: %run_example %s merged-output hang
// RUN: %run_example %s fgets-command hang
// RUN: %run_example %s getline-config hang
// RUN: %run_example %s socketpair-break hang
// RUN: %run_example %s child-stdin hang
// RUN: %run_example %s big-write hang
// RUN: %run_example %s header-body hang
// RUN: %run_example %s block-loop hang
// RUN: %run_example %s block-loop-ok exit
// RUN: %run_example %s fwrite hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- 1. a read that only this thread could satisfy ---------------------- */

struct sum_job {
  long n;
  int fd; /* where the worker sends the sum */
};

static void *sum_worker(void *arg)
{
  struct sum_job *job = arg;
  long i, sum = 0;

  for (i = 1; i <= job->n; i++)
    sum += i;
  write(job->fd, &sum, sizeof sum);
  return NULL;
}

/* Sums 1..n, in a helper thread when 'use_thread' is set. The sum comes
 * back through a pipe either way, but without a thread nobody runs
 * sum_worker(). */
long sum_up_to(long n, int use_thread)
{
  int fds[2];
  struct sum_job job;
  pthread_t tid;
  long sum = -1;

  if (pipe(fds) < 0)
    return -1;
  job.n = n;
  job.fd = fds[1];
  if (use_thread && pthread_create(&tid, NULL, sum_worker, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], &sum, sizeof sum) != sizeof sum)
    sum = -1;
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'job.fd' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
  if (use_thread)
    pthread_join(tid, NULL);
  close(fds[0]);
  close(fds[1]);
  return sum;
}

/* Checks that a socket pair carries data: sends a probe and reads it back.
 * The probe arrives at sv[1], not at the end that sent it. */
int socketpair_works(void)
{
  int sv[2];
  char c = 0;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return 0;
  send(sv[0], "?", 1, 0);
  recv(sv[0], &c, 1, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'sv[0]' blocks forever: this thread holds the only write end 'sv[1]' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: socket pair created here
  close(sv[0]);
  close(sv[1]);
  return c == '?';
}

/* ---- 2. a read to end-of-file while this process holds the write end ---- */

struct item {
  const char *name;
  int value;
};

/* Renders the items as "name=value" lines through a pipe and reads the text
 * back into 'out'. The write end is still open when the loop starts. With no
 * items nothing is written at all; that path hangs in the same read loop,
 * and one finding (closing the write end first cures both) covers it. */
ssize_t render_items(const struct item *items, size_t n, char *out,
                     size_t size)
{
  int fds[2];
  size_t i;
  ssize_t got, total = 0;

  if (pipe(fds) < 0)
    return -1;
  for (i = 0; i < n; i++)
    dprintf(fds[1], "%s=%d\n", items[i].name, items[i].value);
  while ((got = read(fds[0], out + total, size - total)) > 0)
    total += got;
  // CHECK-MESSAGES: :[[@LINE-2]]:17: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]'; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  return total;
}

/* Runs 'cmd' with sh -c, its standard output and standard error going to one
 * pipe, and returns how many bytes it printed. The parent closes its copy of
 * the duplicate made for standard error, but not fds[1]. */
ssize_t merged_output_size(const char *cmd)
{
  int fds[2], errfd;
  char buf[512];
  ssize_t n, total = 0;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  errfd = dup(fds[1]);
  if (errfd < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    close(errfd);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(errfd, STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    close(errfd);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(errfd);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    total += n;
  // CHECK-MESSAGES: :[[@LINE-2]]:15: warning: reading 'fds[0]' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-28]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return total;
}

/* Counts the lines that 'cmd' prints, reading them with fgets(). */
int count_lines(const char *cmd)
{
  int fds[2];
  char line[256];
  int lines = 0;
  FILE *in;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  in = fdopen(fds[0], "r");
  if (in == NULL) {
    close(fds[0]);
    close(fds[1]);
    waitpid(pid, NULL, 0);
    return -1;
  }
  while (fgets(line, sizeof line, in) != NULL)
    lines++;
  // CHECK-MESSAGES: :[[@LINE-2]]:10: warning: reading 'in' until end-of-file never ends: this process still holds the write end 'fds[1]', and a fork() child closing its own copy does not close this one; close 'fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-25]]:7: note: pipe created here
  fclose(in);
  close(fds[1]);
  waitpid(pid, NULL, 0);
  return lines;
}

/* Writes the settings through a stdio stream into a pipe and parses them
 * back with getline(). The writing stream is flushed, but not closed. */
int reparse_settings(const struct item *items, size_t n)
{
  int fds[2];
  FILE *out, *in;
  char *line = NULL;
  size_t cap = 0, i;
  int count = 0;

  if (pipe(fds) < 0)
    return -1;
  out = fdopen(fds[1], "w");
  in = fdopen(fds[0], "r");
  if (out == NULL || in == NULL)
    abort();
  fprintf(out, "# %zu settings\n", n);
  for (i = 0; i < n; i++)
    fprintf(out, "%s=%d\n", items[i].name, items[i].value);
  fflush(out);
  while (getline(&line, &cap, in) != -1)
    if (line[0] != '#')
      count++;
  // CHECK-MESSAGES: :[[@LINE-3]]:10: warning: reading 'in' until end-of-file never ends: this process still holds the write end 'out'; close 'out' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  free(line);
  fclose(in);
  fclose(out);
  return count;
}

/* Collects the status report that a forked worker sends over a socket pair.
 * The parent keeps its copy of the worker's end sv[1]. */
ssize_t worker_report(char *buf, size_t size)
{
  int sv[2];
  ssize_t n, total = 0;
  pid_t pid;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  if (pid == 0) {
    close(sv[0]);
    dprintf(sv[1], "worker %d: all good\n", (int)getpid());
    _exit(0);
  }
  for (;;) {
    n = recv(sv[0], buf + total, size - total, 0);
    if (n <= 0)
      break;
    total += n;
  }
  // CHECK-MESSAGES: :[[@LINE-5]]:9: warning: reading 'sv[0]' until end-of-file never ends: this process still holds the write end 'sv[1]', and a fork() child closing its own copy does not close this one; close 'sv[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-20]]:7: note: socket pair created here
  close(sv[0]);
  close(sv[1]);
  waitpid(pid, NULL, 0);
  return total;
}

/* Sends the words to a child that counts them from its standard input, and
 * returns the child's wait status. The child keeps its copy of the write
 * end, so its own read never sees end-of-file: the child's unclosed write
 * end, pipe-unclosed-write-end's defect (a read in this process, kept open
 * by this process, is this check's). */
int count_words_in_child(const char *const words[], size_t n)
{
  int fds[2];
  char buf[256];
  ssize_t got;
  size_t i;
  int status = -1;
  pid_t pid;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    long count = 0;
    while ((got = read(fds[0], buf, sizeof buf)) > 0)
      count += got;
    // CHECK-MESSAGES: :[[@LINE-2]]:19: warning: the fork() child reads 'fds[0]' to end-of-file here, but it still holds its copy of the write end 'fds[1]', inherited at the fork and never closed, so end-of-file never comes and the child blocks forever; close 'fds[1]' in the child before it reads [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    _exit(count > 0 ? 0 : 1);
  }
  close(fds[0]);
  for (i = 0; i < n; i++)
    dprintf(fds[1], "%s\n", words[i]);
  close(fds[1]);
  waitpid(pid, &status, 0);
  return status;
}

/* ---- 3. a write that fills the pipe before this thread reads it back ----- */

static char snapshot[100000];

/* Checks that the snapshot survives a trip through a pipe. The pipe holds
 * 64 KiB, and nobody reads it while write() waits for room. */
int snapshot_roundtrip(void)
{
  static char copy[sizeof snapshot];
  int fds[2];
  size_t got = 0;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  n = write(fds[1], snapshot, sizeof snapshot);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: writing 100000 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+6]]:15: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(fds[1]);
  if (n != (ssize_t)sizeof snapshot)
    return -1;
  while (got < sizeof copy &&
         (n = read(fds[0], copy + got, sizeof copy - got)) > 0)
    got += (size_t)n;
  close(fds[0]);
  return got == sizeof copy && memcmp(copy, snapshot, got) == 0;
}

#define BLOCK_SIZE 65536

struct block_header {
  unsigned magic;
  unsigned length;
};

/* Frames one 64 KiB block with its header and reads the header back. The
 * header and the block together are more than the pipe holds. */
int frame_block(const char *block)
{
  struct block_header hdr = {0xb10c, BLOCK_SIZE};
  struct block_header check;
  int fds[2];

  if (pipe(fds) < 0)
    return -1;
  write(fds[1], &hdr, sizeof hdr);
  write(fds[1], block, BLOCK_SIZE);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 65544 bytes to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(fds[1]);
  read(fds[0], &check, sizeof check);
  close(fds[0]);
  return check.magic == hdr.magic;
}

/* Queues 'nblocks' blocks of 4 KiB in a pipe, then takes the first one
 * back. More than 16 blocks do not fit. */
int queue_blocks(unsigned nblocks)
{
  static char block[4096], first[4096];
  int fds[2];
  unsigned i;
  ssize_t n;

  if (pipe(fds) < 0)
    return -1;
  for (i = 0; i < nblocks; i++)
    write(fds[1], block, sizeof block);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: writing an amount that grows with the loop to 'fds[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: this thread reads the pipe back here
  n = read(fds[0], first, sizeof first);
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(fds[0]);
  close(fds[1]);
  return n == (ssize_t)sizeof first;
}

struct record {
  char key[24];
  char value[1000];
};

/* Stores the records in a pipe with fwrite() and reads the first key back. */
int spool_records(const struct record *recs)
{
  char key[sizeof recs[0].key];
  int fds[2];
  FILE *out;

  if (pipe(fds) < 0)
    return -1;
  out = fdopen(fds[1], "w");
  if (out == NULL) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  fwrite(recs, sizeof recs[0], 100, out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: writing 102400 bytes to 'out' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE+3]]:7: note: this thread reads the pipe back here
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  fflush(out);
  if (read(fds[0], key, sizeof key) != (ssize_t)sizeof key)
    key[0] = '\0';
  fclose(out);
  close(fds[0]);
  return key[0] != '\0';
}

/* ---- scenarios ---------------------------------------------------------- */

static const struct item settings[] = {{"width", 80}, {"height", 24}};

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  static char buf[4096];
  static char block[BLOCK_SIZE];
  static struct record recs[100];
  const char *const words[] = {"alpha", "beta", "gamma"};

  if (strcmp(s, "inline-sum") == 0)
    return sum_up_to(10, 0) != 55;
  if (strcmp(s, "inline-sum-ok") == 0)
    return sum_up_to(10, 1) != 55;
  if (strcmp(s, "socketpair-probe") == 0)
    return !socketpair_works();
  if (strcmp(s, "render") == 0)
    return render_items(settings, 2, buf, sizeof buf) < 0;
  if (strcmp(s, "merged-output") == 0)
    return merged_output_size("echo out; echo err >&2") < 0;
  if (strcmp(s, "fgets-command") == 0)
    return count_lines("printf 'a\\nb\\n'") != 2;
  if (strcmp(s, "getline-config") == 0)
    return reparse_settings(settings, 2) != 2;
  if (strcmp(s, "socketpair-break") == 0)
    return worker_report(buf, sizeof buf) <= 0;
  if (strcmp(s, "child-stdin") == 0)
    return count_words_in_child(words, 3) != 0;
  if (strcmp(s, "big-write") == 0)
    return !snapshot_roundtrip();
  if (strcmp(s, "header-body") == 0)
    return !frame_block(block);
  if (strcmp(s, "block-loop") == 0)
    return !queue_blocks(32);
  if (strcmp(s, "block-loop-ok") == 0)
    return !queue_blocks(2);
  if (strcmp(s, "fwrite") == 0)
    return !spool_records(recs);
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

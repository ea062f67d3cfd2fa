// C readers that give up early on a pipe a pthread_create'd writer thread or
// a fork()ed writer child still holds, and get away with it: the read end is
// closed before pthread_join() or waitpid() on every early path (by hand or
// at a cleanup label); the writer's whole output fits in the pipe; the
// joined thread never touches the pipe; the thread or child is handed off
// to the caller, who closes and then joins or waits. The writers that matter
// write 1 MiB, far more than a pipe holds (64 KiB). pipe-leaked-writer must
// not report anything here. Every scenario takes the early path and exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s close-then-join exit
// RUN: %run_example %s goto-cleanup exit
// RUN: %run_example %s small-writer-join exit
// RUN: %run_example %s never-touches-pipe exit
// RUN: %run_example %s handed-off-struct exit
// RUN: %run_example %s fork-close-then-wait exit
// RUN: %run_example %s fork-small-writer-wait exit
// RUN: %run_example %s fork-handed-off exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

struct producer {
  int out_fd;
  char first;
  size_t bytes;
};

/* Writes p->bytes bytes, p->first first, and closes the write end. */
static void *produce(void *arg)
{
  struct producer *p = arg;

  write_filled(p->out_fd, p->first, 'p', p->bytes);
  close(p->out_fd);
  return NULL;
}

/* ---- the read end closed before pthread_join ---------------------------- */

/* Reads the version byte an encoder thread writes in front of 1 MiB of
 * data; unknown versions are refused. On that path the read end is closed
 * first: the encoder's next write fails with EPIPE, it stops, and the join
 * returns. */
long read_encoded_stream(char version)
{
  int fds[2];
  pthread_t encoder;
  struct producer job;
  char got;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out_fd = fds[1];
  job.first = version;
  job.bytes = MIB;
  if (pthread_create(&encoder, NULL, produce, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &got, 1) != 1 || got != '1') {
    close(fds[0]);
    pthread_join(encoder, NULL);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  pthread_join(encoder, NULL);
  return n;
}

/* ---- a cleanup label that closes, then joins ---------------------------- */

/* Reads a length-prefixed record list from a thread; a length over 'max'
 * goes to the shared cleanup, which closes the read end before the join. */
int load_record_list(uint32_t max)
{
  int fds[2] = {-1, -1};
  pthread_t tid;
  int started = 0;
  int rc = -1;
  struct producer job;
  char first;

  if (pipe(fds) < 0)
    goto out;
  job.out_fd = fds[1];
  job.first = 'L';
  job.bytes = MIB;
  if (pthread_create(&tid, NULL, produce, &job) != 0) {
    close(fds[1]);
    goto out;
  }
  started = 1;
  if (read_full(fds[0], &first, 1) != 1 || first != 'L')
    goto out;
  if ((uint32_t)MIB > max)
    goto out;
  drain(fds[0]);
  rc = 0;
out:
  if (fds[0] >= 0)
    close(fds[0]);
  if (started)
    pthread_join(tid, NULL);
  return rc;
}

/* ---- a writer whose whole output fits in the pipe ----------------------- */

/* Reads the 16-byte UUID a generator thread writes; on a bad variant the
 * thread is joined before the read end is closed, which is fine: its 16
 * bytes are in the pipe and it has finished. */
int read_generated_uuid(char variant, unsigned char uuid[16])
{
  int fds[2];
  pthread_t gen;
  struct producer job;

  if (pipe(fds) < 0)
    return -1;
  job.out_fd = fds[1];
  job.first = variant;
  job.bytes = 16;
  if (pthread_create(&gen, NULL, produce, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], uuid, 1) != 1 || uuid[0] != 'v') {
    pthread_join(gen, NULL);
    close(fds[0]);
    return -1;
  }
  read_full(fds[0], uuid + 1, 15);
  close(fds[0]);
  pthread_join(gen, NULL);
  return 0;
}

/* ---- a joined thread that never touches the pipe ------------------------ */

static void *count_primes(void *arg)
{
  long limit = (long)(intptr_t)arg, count = 0, i, j;

  for (i = 2; i < limit; i++) {
    for (j = 2; j * j <= i && i % j; j++)
      ;
    if (j * j > i)
      count++;
  }
  return (void *)(intptr_t)count;
}

/* Reads the output of a child process while a thread does unrelated
 * arithmetic. On a bad first byte the thread is joined before the read end
 * is closed: it never touches the pipe. The child is handled right: close,
 * then waitpid. */
int compute_while_reading(char first_byte)
{
  int fds[2];
  pid_t pid;
  pthread_t worker;
  char first;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write_filled(fds[1], first_byte, 'c', MIB);
    _exit(0);
  }
  close(fds[1]);
  if (pthread_create(&worker, NULL, count_primes, (void *)(intptr_t)10000) != 0) {
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != 'C') {
    pthread_join(worker, NULL);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return -1;
  }
  drain(fds[0]);
  close(fds[0]);
  pthread_join(worker, NULL);
  waitpid(pid, NULL, 0);
  return 0;
}

/* ---- a thread handed off in a struct ------------------------------------ */

struct stream {
  int rfd;
  pthread_t writer;
  struct producer job;
};

/* Opens a stream fed by a writer thread and checks its first byte. On
 * failure after the thread has started, the thread and the read end are
 * the caller's, who calls stream_close() in any case. */
int stream_open(struct stream *s, char first_byte)
{
  int fds[2];
  char c;

  s->rfd = -1;
  if (pipe(fds) < 0)
    return -1;
  s->job.out_fd = fds[1];
  s->job.first = first_byte;
  s->job.bytes = MIB;
  if (pthread_create(&s->writer, NULL, produce, &s->job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  s->rfd = fds[0];
  if (read_full(s->rfd, &c, 1) != 1 || c != 'S')
    return -1;
  return 0;
}

/* Closes the read end, then joins the writer. */
void stream_close(struct stream *s)
{
  if (s->rfd < 0)
    return;
  close(s->rfd);
  s->rfd = -1;
  pthread_join(s->writer, NULL);
}

static int scenario_handed_off_struct(void)
{
  struct stream s;
  int rc = stream_open(&s, 'T');

  stream_close(&s);
  return rc == -1 ? 0 : 1;
}

/* ---- fork: the read end closed before waitpid --------------------------- */

/* Reads the first line of a listing a child prints; a listing of the wrong
 * kind is refused. The read end is closed first: the child dies of SIGPIPE
 * (restored to the default in it) and waitpid() returns. */
int read_listing_kind(const char *kind)
{
  int fds[2];
  pid_t pid;
  char first[8];
  size_t len = strlen(kind);
  int i;

  if (len > sizeof first)
    return -1;
  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    close(fds[0]);
    if (dprintf(fds[1], "tree\n") > 0)
      for (i = 0; i < 40000; i++)
        if (dprintf(fds[1], "src/module%d/file.c\n", i) < 0)
          break;
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, kind, len) != 0) {
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return -1;
  }
  drain(fds[0]);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return 0;
}

/* ---- fork: a child whose whole output fits in the pipe ------------------ */

/* Reads the exit report (16 bytes) a child writes; on a bad report the child
 * is waited for before the read end is closed, which is fine: the report is
 * in the pipe and the child has exited. */
int read_child_report(char status)
{
  int fds[2];
  pid_t pid;
  char report[16];

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write_filled(fds[1], status, 'r', sizeof report);
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], report, 1) != 1 || report[0] != '0') {
    waitpid(pid, NULL, 0);
    close(fds[0]);
    return -1;
  }
  read_full(fds[0], report + 1, sizeof report - 1);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return 0;
}

/* ---- fork: a child handed off to the caller ----------------------------- */

/* Starts a decompressor child writing 1 MiB, a format byte first, and
 * returns the read end; its pid goes to *pidp and the format byte to
 * *format. The caller closes the read end, then waits. */
int start_decompressor(pid_t *pidp, char first_byte, int *format)
{
  int fds[2];
  pid_t pid;
  char c;

  if (pipe(fds) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    write_filled(fds[1], first_byte, 'z', MIB);
    _exit(0);
  }
  close(fds[1]);
  *pidp = pid;
  /* The format byte goes to the caller, who decides; the stream is
   * returned either way. */
  *format = read_full(fds[0], &c, 1) == 1 ? c : -1;
  return fds[0];
}

static int scenario_fork_handed_off(void)
{
  pid_t pid;
  int format;
  int rfd = start_decompressor(&pid, 'Y', &format);

  if (rfd < 0)
    return 1;
  if (format != 'Z') {
    close(rfd);
    return waitpid(pid, NULL, 0) == pid ? 0 : 1;
  }
  drain(rfd);
  close(rfd);
  waitpid(pid, NULL, 0);
  return 1;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  unsigned char uuid[16];

  /* A write to a pipe whose read end is closed then fails with EPIPE
   * instead of killing the process, as in any program that pipes between
   * its threads. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "close-then-join") == 0)
    return read_encoded_stream('2') != -1;
  if (strcmp(s, "goto-cleanup") == 0)
    return load_record_list(4096) != -1;
  if (strcmp(s, "small-writer-join") == 0)
    return read_generated_uuid('x', uuid) != -1;
  if (strcmp(s, "never-touches-pipe") == 0)
    return compute_while_reading('B') != -1;
  if (strcmp(s, "handed-off-struct") == 0)
    return scenario_handed_off_struct();
  if (strcmp(s, "fork-close-then-wait") == 0)
    return read_listing_kind("blob\n") != -1;
  if (strcmp(s, "fork-small-writer-wait") == 0)
    return read_child_report('1') != -1;
  if (strcmp(s, "fork-handed-off") == 0)
    return scenario_fork_handed_off();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

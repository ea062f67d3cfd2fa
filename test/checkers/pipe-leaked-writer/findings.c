// Positive findings of pipe-leaked-writer in C: the reader of a pipe gives
// up early while a pthread_create'd writer thread or a fork()ed writer child
// still holds the pipe. Joining the thread or waiting for the child before
// closing the read end hangs: the writer is blocked on the full pipe and
// nobody reads it. Leaving without joining or waiting, with the read end
// left open, leaves the writer blocked for good: a thread nobody joins, a
// child nobody reaps.
//
// The writers write 1 MiB or more, far more than a pipe holds (64 KiB), so
// they are blocked when the reader gives up. A leaked writer by itself does
// not stop a program; these scenarios go on as real programs do when the
// function has returned: main leaves with pthread_exit(), which lets the
// other threads run to completion, or reaps its children with
// wait(NULL) until there are none. The leaked writer never completes, so
// both hang. The "-ok" scenarios take the same functions' normal paths and
// finish.
//
// The check reports each where the reader leaves: the join or wait that
// hangs, or the return that leaves the writer blocked.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s pthread-join-before-close hang
// RUN: %run_example %s pthread-join-before-close-ok exit
// RUN: %run_example %s pthread-never-joined hang
// RUN: %run_example %s pthread-never-joined-ok exit
// RUN: %run_example %s pthread-struct-never-joined hang
// RUN: %run_example %s fork-never-waited hang
// RUN: %run_example %s fork-never-waited-ok exit
// RUN: %run_example %s fork-waitpid-before-close hang
// RUN: %run_example %s fork-waitpid-before-close-ok exit

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

/* ---- pthread_join before the close: hang ------------------------------- */

struct producer {
  int out_fd;
  char kind;
  size_t bytes;
};

/* Writes the producer's kind byte and then its payload; the fd is a member
 * of the struct passed in. */
static void *produce_payload(void *arg)
{
  struct producer *p = arg;

  write_filled(p->out_fd, p->kind, 'p', p->bytes);
  close(p->out_fd);
  return NULL;
}

/* Reads the header byte that a producer thread writes in front of the
 * payload; anything but 'H' is refused. Returns the payload size or -1. */
long read_header_from_producer(char kind)
{
  int fds[2];
  pthread_t tid;
  struct producer job;
  char header;
  long n;

  if (pipe(fds) < 0)
    return -1;
  job.out_fd = fds[1];
  job.kind = kind;
  job.bytes = MIB;
  if (pthread_create(&tid, NULL, produce_payload, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &header, 1) != 1 || header != 'H') {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'tid' running 'produce_payload' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'tid' running 'produce_payload' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    pthread_join(tid, NULL);
    close(fds[0]);
    return -1;
  }
  n = drain(fds[0]);
  close(fds[0]);
  pthread_join(tid, NULL);
  return n;
}

/* ---- pthread_create'd thread never joined: leak ------------------------ */

/* Spools a 1 MiB report, its first line naming its format; the fd comes as
 * the thread argument itself. */
static void *spool_report(void *arg)
{
  int out = (int)(intptr_t)arg;
  int i;

  if (dprintf(out, "format=csv\n") > 0)
    for (i = 0; i < 30000; i++)
      if (dprintf(out, "%d,spooled line of the report\n", i) < 0)
        break;
  close(out);
  return NULL;
}

/* Reads the report the spooler thread writes, if it has the format the
 * caller asks for; returns its size or -1. */
long read_spooled_report(const char *format_line)
{
  int fds[2];
  pthread_t spooler;
  char first[16];
  size_t len = strlen(format_line);
  long n;

  if (len > sizeof first)
    return -1;
  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&spooler, NULL, spool_report, (void *)(intptr_t)fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, format_line, len) != 0)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'spooler' running 'spool_report' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-7]]:7: note: thread 'spooler' running 'spool_report' starts here; it writes up to 1560011 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  n = drain(fds[0]);
  close(fds[0]);
  pthread_join(spooler, NULL);
  return n;
}

/* Streams a blob whose first byte is its marker; the fd is a member of a
 * heap-allocated job struct that the thread owns and frees. */
static void *stream_blob(void *arg)
{
  struct producer *p = arg;

  write_filled(p->out_fd, p->kind, 'b', p->bytes);
  close(p->out_fd);
  free(p);
  return NULL;
}

/* Reads the marker byte of a blob a thread streams: returns 1 when it is
 * 'M' (and reads the rest), 0 when it is not (and gives up at once). */
int check_blob_marker(char marker)
{
  int fds[2];
  pthread_t tid;
  struct producer *job;
  char first;

  if (pipe(fds) < 0)
    return -1;
  job = malloc(sizeof *job);
  if (!job) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  job->out_fd = fds[1];
  job->kind = marker;
  job->bytes = 2 * MIB;
  if (pthread_create(&tid, NULL, stream_blob, job) != 0) {
    free(job);
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read_full(fds[0], &first, 1) != 1 || first != 'M')
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: thread 'tid' running 'stream_blob' is never joined on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 'tid' running 'stream_blob' starts here; it writes up to 2097152 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return 0;
  drain(fds[0]);
  close(fds[0]);
  pthread_join(tid, NULL);
  return 1;
}

/* ---- fork()ed writer child never waited for: leak ---------------------- */

/* Lists the files of a manifest that a child process prints, and returns
 * how many there are; a manifest whose first line is not the expected
 * version is refused. */
long read_child_manifest(const char *version_line, long entries)
{
  int fds[2];
  pid_t pid;
  char first[32];
  size_t len = strlen(version_line);
  long lines = 0;
  char buf[8192];
  ssize_t n;

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
    long i;
    close(fds[0]);
    if (dprintf(fds[1], "manifest v2\n") > 0)
      for (i = 0; i < entries; i++)
        if (dprintf(fds[1], "usr/share/doc/package-%ld/changelog.gz\n", i) < 0)
          break;
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], first, len) != (ssize_t)len || memcmp(first, version_line, len) != 0)
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'pid' is never waited for on this path, and the read end 'fds[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'fds[0]' so that it fails with EPIPE and wait for it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-18]]:9: note: child process 'pid' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-21]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
    return -1;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) {
    ssize_t i;
    for (i = 0; i < n; i++)
      lines += buf[i] == '\n';
  }
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return lines;
}

/* ---- waitpid before the close: hang ------------------------------------ */

/* Checks that the image a decoder child streams starts with the PNG magic
 * number. The child is waited for before the read end is closed. */
int image_has_png_magic(int corrupt)
{
  static const char png[8] = "\211PNG\r\n\032\n";
  int fds[2];
  pid_t pid;
  char magic[8];

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
    if (write_all(fds[1], corrupt ? "GIF89a\0\0" : png, sizeof png) == 0)
      write_filled(fds[1], 'i', 'i', MIB);
    _exit(0);
  }
  close(fds[1]);
  if (read_full(fds[0], magic, sizeof magic) != sizeof magic ||
      memcmp(magic, png, sizeof png) != 0) {
    // CHECK-MESSAGES: :[[@LINE+4]]:5: warning: child process 'pid' is waited for here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-16]]:9: note: child process 'pid' starts here; it writes up to 1048584 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    waitpid(pid, NULL, 0);
    close(fds[0]);
    return 0;
  }
  drain(fds[0]);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return 1;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int rc = 2;

  /* A write to a pipe whose read end is closed then fails with EPIPE
   * instead of killing the process, as in any program that pipes between
   * its threads. */
  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "pthread-join-before-close") == 0)
    return read_header_from_producer('X') != -1;
  if (strcmp(s, "pthread-join-before-close-ok") == 0)
    return read_header_from_producer('H') != MIB - 1;
  if (strcmp(s, "pthread-never-joined") == 0 || strcmp(s, "pthread-never-joined-ok") == 0) {
    long n = read_spooled_report(strcmp(s, "pthread-never-joined") == 0 ? "format=json\n"
                                                                        : "format=csv\n");
    rc = (n < 0) != (strcmp(s, "pthread-never-joined") == 0);
    if (rc == 0)
      /* Leave main but let the other threads run to completion: the
       * process exits (with status 0) when the last of them is done, and
       * never if one is blocked for good. */
      pthread_exit(NULL);
    return rc;
  }
  if (strcmp(s, "pthread-struct-never-joined") == 0) {
    if (check_blob_marker('Z') != 0)
      return 1;
    pthread_exit(NULL);
  }
  if (strcmp(s, "fork-never-waited") == 0 || strcmp(s, "fork-never-waited-ok") == 0) {
    long n = read_child_manifest(strcmp(s, "fork-never-waited") == 0 ? "manifest v3\n"
                                                                     : "manifest v2\n",
                                 30000);
    rc = (n < 0) != (strcmp(s, "fork-never-waited") == 0);
    /* Shutdown: reap every child that is left, as a job runner does. */
    while (wait(NULL) > 0)
      ;
    return rc;
  }
  if (strcmp(s, "fork-waitpid-before-close") == 0)
    return image_has_png_magic(1) != 0;
  if (strcmp(s, "fork-waitpid-before-close-ok") == 0)
    return image_has_png_magic(0) != 1;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

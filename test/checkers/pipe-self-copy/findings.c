// Positive findings of pipe-self-copy in C: a pipe copied into itself. The
// copies here were all meant to move data from one pipe into another (a
// worker's input, an outbox), and a typo makes the destination the write
// end of the source pipe (or a dup() or an fdopen() stream of it).
//
//  - A read()/write() copy loop (or fread()/fwrite()) that writes back what
//    it reads never ends: this process holds the write end, so the read
//    end never reaches end-of-file, and each pass reads back the bytes the
//    previous one wrote. These scenarios hang.
//  - splice() and tee() refuse to copy a pipe into itself: Linux returns
//    -1 with EINVAL and no data moves. These scenarios check exactly that
//    (and that the data is still in the source pipe), then exit 0.
//
// The fixed copies, into a different pipe, are in near-miss.c. The
// CHECK-MESSAGES lines say where the check reports, with its notes.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t -- -- -I%S
// RUN: %run_example %s relay-loop hang
// RUN: %run_example %s relay-loop-dup hang
// RUN: %run_example %s splice-same-pipe exit
// RUN: %run_example %s tee-same-pipe exit
// RUN: %run_example %s stdio-relay-loop hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../Inputs/io-helpers.h"

/* ---- a read/write loop that copies a pipe into itself: hang ------------- */

/* Jobs are queued on a pipe this process owns both ends of, so that any
 * part of the program (a signal handler included) can append one with a
 * single write(). dispatch_queued() hands everything queued so far on to a
 * worker process through the worker's input pipe, then lets it finish.
 * The relay writes into queue[1] where it meant worker[1]. Returns the
 * worker's exit status. */
int dispatch_queued(const char *jobs, size_t len)
{
  int queue[2], worker[2], status;
  char buf[4096];
  ssize_t n;
  pid_t pid;

  if (pipe(queue) < 0)
    return -1;
  /* Dispatching takes what is queued now, without waiting for more. */
  fcntl(queue[0], F_SETFL, fcntl(queue[0], F_GETFL) | O_NONBLOCK);
  if (write_all(queue[1], jobs, len) < 0 || pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  pid = fork();
  if (pid == 0) {
    /* The worker: reads its input to end-of-file. */
    close(worker[1]);
    close(queue[0]);
    close(queue[1]);
    _exit(drain(worker[0]) == (long)len ? 0 : 1);
  }
  close(worker[0]);
  if (pid < 0) {
    close(worker[1]);
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  while ((n = read(queue[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE+3]]:5: warning: this loop writes what it reads from 'queue[0]' back into 'queue[1]', the write end of the same pipe: the data goes round and round, and each read finds what the last write put back, so the loop never ends while the pipe holds data; write to the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-2]]:15: note: 'queue[0]' is read here
    // CHECK-MESSAGES: :[[@LINE-27]]:7: note: pipe created here
    write(queue[1], buf, (size_t)n);
  close(worker[1]);
  close(queue[0]);
  close(queue[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- the same through a dup() of the write end: hang -------------------- */

/* Passes a producer command's output on to a consumer process. Both
 * children are started first; then the relay keeps its own copy of the
 * consumer's write end and closes all the originals in one place. The
 * copy is dup(p[1]) where dup(q[1]) was meant, so the relay holds the
 * producer's pipe open and feeds it its own output. Returns the
 * consumer's exit status. */
int relay_between(const char *producer_cmd, long expect)
{
  int p[2], q[2], status, w;
  pid_t producer, consumer;
  char buf[4096];
  ssize_t n;

  if (pipe(p) < 0)
    return -1;
  if (pipe(q) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  producer = fork();
  if (producer == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    execlp("sh", "sh", "-c", producer_cmd, (char *)NULL);
    _exit(127);
  }
  consumer = fork();
  if (consumer == 0) {
    close(p[0]);
    close(p[1]);
    close(q[1]);
    _exit(drain(q[0]) == expect ? 0 : 1);
  }
  w = dup(p[1]);
  close(p[1]);
  close(q[0]);
  close(q[1]);
  if (producer < 0 || consumer < 0 || w < 0) {
    close(p[0]);
    if (w >= 0)
      close(w);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0)
    // CHECK-MESSAGES: :[[@LINE+3]]:9: warning: this loop writes what it reads from 'p[0]' back into 'w', the write end of the same pipe: the data goes round and round, and once the pipe is empty the read blocks forever, because this process holds 'w'; write to the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-2]]:15: note: 'p[0]' is read here
    // CHECK-MESSAGES: :[[@LINE-37]]:7: note: pipe created here
    if (write_all(w, buf, (size_t)n) < 0)
      break;
  close(w);
  close(p[0]);
  waitpid(producer, NULL, 0);
  if (waitpid(consumer, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- splice() from a pipe into itself: EINVAL --------------------------- */

/* Moves a message from the inbox pipe to the outbox pipe without copying
 * it through user space; the splice names inbox[1] where it meant
 * outbox[1]. Returns what splice() returned, with its errno in *err, and
 * how many bytes are left in the inbox and arrived in the outbox. */
ssize_t forward_message(const char *msg, int *err, long *left, long *arrived)
{
  int inbox[2], outbox[2];
  ssize_t moved;

  if (pipe(inbox) < 0)
    return -2;
  if (pipe(outbox) < 0) {
    close(inbox[0]);
    close(inbox[1]);
    return -2;
  }
  write_all(inbox[1], msg, strlen(msg));
  // CHECK-MESSAGES: :[[@LINE+2]]:11: warning: splice() copies from 'inbox[0]' into 'inbox[1]', the write end of the same pipe: the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; copy into the descriptor you meant [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  moved = splice(inbox[0], NULL, inbox[1], NULL, 4096, 0);
  *err = errno;
  close(inbox[1]);
  close(outbox[1]);
  *left = drain(inbox[0]);
  *arrived = drain(outbox[0]);
  close(inbox[0]);
  close(outbox[0]);
  return moved;
}

/* ---- tee() from a pipe into itself: EINVAL ------------------------------ */

/* Duplicates a message from the inbox pipe into the audit pipe with tee(),
 * leaving it in the inbox too; the tee names inbox[1] where it meant
 * audit[1]. Same results as forward_message(). */
ssize_t audit_message(const char *msg, int *err, long *left, long *arrived)
{
  int inbox[2], audit[2];
  ssize_t copied;

  if (pipe(inbox) < 0)
    return -2;
  if (pipe(audit) < 0) {
    close(inbox[0]);
    close(inbox[1]);
    return -2;
  }
  write_all(inbox[1], msg, strlen(msg));
  // CHECK-MESSAGES: :[[@LINE+2]]:12: warning: tee() copies from 'inbox[0]' into 'inbox[1]', the write end of the same pipe: the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; copy into the descriptor you meant [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  copied = tee(inbox[0], inbox[1], 4096, 0);
  *err = errno;
  close(inbox[1]);
  close(audit[1]);
  *left = drain(inbox[0]);
  *arrived = drain(audit[0]);
  close(inbox[0]);
  close(audit[0]);
  return copied;
}

/* ---- fread()/fwrite() copying a pipe into itself: hang ------------------ */

/* dispatch_queued() with stdio streams: records queued on a pipe this
 * process owns both ends of are handed to a worker; the output stream is
 * fdopen()ed on queue[1] where worker[1] was meant. Returns the worker's
 * exit status. */
int dispatch_queued_stdio(const char *records, size_t len)
{
  int queue[2], worker[2], status;
  FILE *in, *out;
  char buf[4096];
  size_t n;
  pid_t pid;

  if (pipe(queue) < 0)
    return -1;
  fcntl(queue[0], F_SETFL, fcntl(queue[0], F_GETFL) | O_NONBLOCK);
  if (write_all(queue[1], records, len) < 0 || pipe(worker) < 0) {
    close(queue[0]);
    close(queue[1]);
    return -1;
  }
  pid = fork();
  if (pid == 0) {
    close(worker[1]);
    close(queue[0]);
    close(queue[1]);
    _exit(drain(worker[0]) == (long)len ? 0 : 1);
  }
  close(worker[0]);
  in = fdopen(queue[0], "r");
  out = fdopen(queue[1], "w");
  if (pid < 0 || !in || !out) {
    close(worker[1]);
    if (in)
      fclose(in);
    else
      close(queue[0]);
    if (out)
      fclose(out);
    else
      close(queue[1]);
    return -1;
  }
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    // CHECK-MESSAGES: :[[@LINE+3]]:5: warning: this loop writes what it reads from 'in' back into 'out', the write end of the same pipe: the data goes round and round, and each read finds what the last write put back, so the loop never ends while the pipe holds data; write to the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-2]]:15: note: 'in' is read here
    // CHECK-MESSAGES: :[[@LINE-33]]:7: note: pipe created here
    fwrite(buf, 1, n, out);
    fflush(out);
  }
  fclose(in);
  fclose(out);
  close(worker[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  static const char jobs[] = "resize img/1.png\nresize img/2.png\nthumb img/3.png\n";
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "relay-loop") == 0)
    return dispatch_queued(jobs, strlen(jobs)) != 0;
  if (strcmp(s, "relay-loop-dup") == 0)
    return relay_between("seq 1 1000", 3893) != 0;
  if (strcmp(s, "splice-same-pipe") == 0) {
    static const char msg[] = "hello, outbox\n";
    int err = 0;
    long left = -1, arrived = -1;
    ssize_t r = forward_message(msg, &err, &left, &arrived);
    /* The kernel refused, and the message never left the inbox. */
    return !(r == -1 && err == EINVAL && left == (long)strlen(msg) && arrived == 0);
  }
  if (strcmp(s, "tee-same-pipe") == 0) {
    static const char msg[] = "hello, audit\n";
    int err = 0;
    long left = -1, arrived = -1;
    ssize_t r = audit_message(msg, &err, &left, &arrived);
    return !(r == -1 && err == EINVAL && left == (long)strlen(msg) && arrived == 0);
  }
  if (strcmp(s, "stdio-relay-loop") == 0)
    return dispatch_queued_stdio(jobs, strlen(jobs)) != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

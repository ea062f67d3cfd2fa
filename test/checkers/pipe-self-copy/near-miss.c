// Copies out of a pipe that pipe-self-copy must not report: into a
// different pipe (by read()/write(), through a dup() of the other pipe's
// write end, with fread()/fwrite(), with splice() and with tee()), into a
// file with splice(), into standard output, and into a pipe the caller
// passed in. These are the fixed versions of the functions of findings.c,
// and more. None of these may be reported by pipe-self-copy, and every
// scenario exits 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-copy %t -- -- -I%S
// RUN: %run_example %s relay-loop-ok exit
// RUN: %run_example %s relay-loop-dup-ok exit
// RUN: %run_example %s splice-two-pipes exit
// RUN: %run_example %s tee-two-pipes exit
// RUN: %run_example %s stdio-relay-loop-ok exit
// RUN: %run_example %s splice-to-file exit
// RUN: %run_example %s copy-to-stdout exit
// RUN: %run_example %s copy-to-caller-pipe exit

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

/* ---- read()/write() from one pipe into another -------------------------- */

/* Hands the jobs queued on a pipe this process owns both ends of on to a
 * worker process through the worker's input pipe. Returns the worker's
 * exit status: 0 when it got every byte. */
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
    write(worker[1], buf, (size_t)n);
  close(worker[1]);
  close(queue[0]);
  close(queue[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- through a dup() of the other pipe's write end ---------------------- */

/* Passes a producer command's output on to a consumer process; the relay
 * keeps its own copy of the consumer's write end, dup(q[1]). Returns the
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
  w = dup(q[1]);
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
    if (write_all(w, buf, (size_t)n) < 0)
      break;
  close(w);
  close(p[0]);
  waitpid(producer, NULL, 0);
  if (waitpid(consumer, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- splice() and tee() between two pipes ------------------------------- */

/* Moves a message from the inbox pipe to the outbox pipe with splice().
 * Returns what splice() returned, and how many bytes are left in the inbox
 * and arrived in the outbox. */
ssize_t forward_message(const char *msg, long *left, long *arrived)
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
  moved = splice(inbox[0], NULL, outbox[1], NULL, 4096, 0);
  close(inbox[1]);
  close(outbox[1]);
  *left = drain(inbox[0]);
  *arrived = drain(outbox[0]);
  close(inbox[0]);
  close(outbox[0]);
  return moved;
}

/* Duplicates a message from the inbox pipe into the audit pipe with tee();
 * the message stays in the inbox too. */
ssize_t audit_message(const char *msg, long *left, long *arrived)
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
  copied = tee(inbox[0], audit[1], 4096, 0);
  close(inbox[1]);
  close(audit[1]);
  *left = drain(inbox[0]);
  *arrived = drain(audit[0]);
  close(inbox[0]);
  close(audit[0]);
  return copied;
}

/* ---- fread()/fwrite() from one pipe into another ------------------------ */

/* dispatch_queued() with stdio streams on queue[0] and worker[1]. */
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
  out = fdopen(worker[1], "w");
  if (pid < 0 || !in || !out) {
    close(queue[1]);
    if (in)
      fclose(in);
    else
      close(queue[0]);
    if (out)
      fclose(out);
    else
      close(worker[1]);
    return -1;
  }
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    fwrite(buf, 1, n, out);
    fflush(out);
  }
  fclose(in);
  fclose(out);
  close(queue[1]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* ---- splice() from a pipe into a file ----------------------------------- */

/* Saves a command's output to a temporary file with splice(); returns the
 * size of the file, or -1. */
long save_output(const char *cmd)
{
  int p[2], status, fd;
  long total = 0;
  ssize_t n;
  FILE *tmp;
  pid_t pid;

  tmp = tmpfile();
  if (!tmp)
    return -1;
  fd = fileno(tmp);
  if (pipe(p) < 0) {
    fclose(tmp);
    return -1;
  }
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    fclose(tmp);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while ((n = splice(p[0], NULL, fd, NULL, 65536, 0)) > 0)
    total += n;
  close(p[0]);
  waitpid(pid, &status, 0);
  if (n < 0 || lseek(fd, 0, SEEK_END) != total) {
    fclose(tmp);
    return -1;
  }
  fclose(tmp);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? total : -1;
}

/* ---- from a pipe's read end into standard output ------------------------ */

/* Prints a command's output on this process's standard output, prefixed
 * with a banner; returns the number of bytes copied, or -1. */
long show_output(const char *cmd)
{
  int p[2], status;
  char buf[4096];
  long total = 0;
  ssize_t n;
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
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  write_all(STDOUT_FILENO, "--- output ---\n", 15);
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
      break;
    total += n;
  }
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* ---- into a pipe the caller passed in ----------------------------------- */

/* Runs a command and copies its output into the caller's pipe, whose write
 * end is sink[1]: q is the caller's pipe, p is this function's own, so
 * they cannot be the same. Returns the number of bytes copied, or -1. */
long output_into(const int sink[2], const char *cmd)
{
  int p[2], q[2], status;
  char buf[4096];
  long total = 0;
  ssize_t n;
  pid_t pid;

  q[0] = sink[0];
  q[1] = sink[1];
  if (pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    if (write_all(q[1], buf, (size_t)n) < 0)
      break;
    total += n;
  }
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return total;
}

/* The caller of output_into(): a counter child reads its pipe and checks
 * that every byte arrived. */
static int copy_to_caller_pipe(void)
{
  int sink[2], status;
  long copied;
  pid_t counter;

  if (pipe(sink) < 0)
    return 1;
  counter = fork();
  if (counter == 0) {
    close(sink[1]);
    _exit(drain(sink[0]) == 3893 ? 0 : 1);
  }
  close(sink[0]);
  copied = output_into(sink, "seq 1 1000");
  close(sink[1]);
  if (counter < 0 || waitpid(counter, &status, 0) < 0)
    return 1;
  return copied != 3893 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* ---- scenarios ---------------------------------------------------------- */

int main(int argc, char **argv)
{
  static const char jobs[] = "resize img/1.png\nresize img/2.png\nthumb img/3.png\n";
  const char *s = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);

  if (strcmp(s, "relay-loop-ok") == 0)
    return dispatch_queued(jobs, strlen(jobs)) != 0;
  if (strcmp(s, "relay-loop-dup-ok") == 0)
    return relay_between("seq 1 1000", 3893) != 0;
  if (strcmp(s, "splice-two-pipes") == 0) {
    static const char msg[] = "hello, outbox\n";
    long left = -1, arrived = -1;
    ssize_t r = forward_message(msg, &left, &arrived);
    return !(r == (ssize_t)strlen(msg) && left == 0 && arrived == (long)strlen(msg));
  }
  if (strcmp(s, "tee-two-pipes") == 0) {
    static const char msg[] = "hello, audit\n";
    long left = -1, arrived = -1;
    ssize_t r = audit_message(msg, &left, &arrived);
    return !(r == (ssize_t)strlen(msg) && left == (long)strlen(msg) &&
             arrived == (long)strlen(msg));
  }
  if (strcmp(s, "stdio-relay-loop-ok") == 0)
    return dispatch_queued_stdio(jobs, strlen(jobs)) != 0;
  if (strcmp(s, "splice-to-file") == 0)
    return save_output("head -c 200000 /dev/zero") != 200000;
  if (strcmp(s, "copy-to-stdout") == 0)
    return show_output("seq 1 1000") != 3893;
  if (strcmp(s, "copy-to-caller-pipe") == 0)
    return copy_to_caller_pipe();
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// How much a writer thread writes with formatted output: a literal format
// prints a bounded number of bytes (each conversion at most its widest
// value, `%s` of a literal or strerror() its length), and a counting loop
// between constants multiplies it. A writer that prints a few status lines
// cannot fill a pipe (64 KiB), so joining it before closing the read end
// finishes; one that prints a hundred thousand lines is blocked on the full
// pipe and the join hangs. `%s` of a string we cannot see stays unbounded
// (three lines of 100 KiB each hang too).
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t -- -- -I%S
// RUN: %run_example %s few-lines exit
// RUN: %run_example %s few-lines-down exit
// RUN: %run_example %s literal-strings exit
// RUN: %run_example %s many-lines hang
// RUN: %run_example %s big-records hang

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
  int fd;
};

static void *three_status_lines(void *arg) {
  int fd = ((struct job *)arg)->fd;
  for (int i = 0; i < 3; i++)
    dprintf(fd, "status %d: %-8s %5.2f%%\n", i, "ok", 99.5);
  close(fd);
  return NULL;
}

static void *countdown_lines(void *arg) {
  int fd = ((struct job *)arg)->fd;
  for (unsigned n = 10; n > 0; n -= 2)
    dprintf(fd, "%u left (%s)\n", n, strerror(EAGAIN));
  close(fd);
  return NULL;
}

static void *literal_strings(void *arg) {
  int fd = ((struct job *)arg)->fd;
  dprintf(fd, "%s %s\n", __func__, arg ? "started" : "idle");
  dprintf(fd, "%c%c%%\n", 'o', 'k');
  close(fd);
  return NULL;
}

static void *hundred_thousand_lines(void *arg) {
  int fd = ((struct job *)arg)->fd;
  for (int i = 0; i < 100000; i++)
    dprintf(fd, "line %d\n", i);
  close(fd);
  return NULL;
}

/* Three lines, but `%s` of a buffer we cannot see: 100 KiB each. */
static void *big_records(void *arg) {
  int fd = ((struct job *)arg)->fd;
  char *text = malloc(100 * 1024 + 1);
  if (!text)
    return NULL;
  memset(text, 'r', 100 * 1024);
  text[100 * 1024] = '\0';
  for (int i = 0; i < 3; i++)
    dprintf(fd, "%s\n", text);
  free(text);
  close(fd);
  return NULL;
}

/* Each reader reads one byte and, on the path each scenario takes, joins the
   writer before it closes the read end. */
static int few_lines(void) {
  int fds[2];
  pthread_t tid;
  struct job job;
  char c;
  if (pipe(fds) != 0)
    return -1;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, three_status_lines, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], &c, 1) != 1) {
    pthread_join(tid, NULL);
    close(fds[0]);
    return -1;
  }
  pthread_join(tid, NULL);
  close(fds[0]);
  return c;
}

static int few_lines_down(void) {
  int fds[2];
  pthread_t tid;
  struct job job;
  char c;
  if (pipe(fds) != 0)
    return -1;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, countdown_lines, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  read(fds[0], &c, 1);
  pthread_join(tid, NULL);
  close(fds[0]);
  return c;
}

static int literal_lines(void) {
  int fds[2];
  pthread_t tid;
  struct job job;
  char c;
  if (pipe(fds) != 0)
    return -1;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, literal_strings, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  read(fds[0], &c, 1);
  pthread_join(tid, NULL);
  close(fds[0]);
  return c;
}

static int many_lines(void) {
  int fds[2];
  pthread_t tid;
  struct job job;
  char c;
  if (pipe(fds) != 0)
    return -1;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, hundred_thousand_lines, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], &c, 1) != 1 || c == 'l') {
    pthread_join(tid, NULL);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 'tid' running 'hundred_thousand_lines' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 'tid' running 'hundred_thousand_lines' starts here; it writes up to 3000000 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return -1;
  }
  close(fds[0]);
  pthread_join(tid, NULL);
  return c;
}

static int big_records_reader(void) {
  int fds[2];
  pthread_t tid;
  struct job job;
  char c;
  if (pipe(fds) != 0)
    return -1;
  job.fd = fds[1];
  if (pthread_create(&tid, NULL, big_records, &job) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (read(fds[0], &c, 1) != 1 || c == 'r') {
    pthread_join(tid, NULL);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 'tid' running 'big_records' is joined here while the read end 'fds[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'fds[0]' first so that the writer fails with EPIPE, then join [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 'tid' running 'big_records' starts here; it writes in a loop or an amount we cannot bound, and may fill the pipe (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
    close(fds[0]);
    return -1;
  }
  close(fds[0]);
  pthread_join(tid, NULL);
  return c;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "few-lines"))
    return few_lines() == 's' ? 0 : 1;
  if (!strcmp(argv[1], "few-lines-down"))
    return few_lines_down() == '1' ? 0 : 1;
  if (!strcmp(argv[1], "literal-strings"))
    return literal_lines() == 'l' ? 0 : 1;
  if (!strcmp(argv[1], "many-lines"))
    return many_lines() == -1 ? 0 : 1;
  if (!strcmp(argv[1], "big-records"))
    return big_records_reader() == -1 ? 0 : 1;
  return 2;
}

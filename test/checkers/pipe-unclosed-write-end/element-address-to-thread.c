// A thread's start routine given the address of one element of the pipe
// array, `pthread_create(&t, 0, reader, &fds[0])`, that reads the one
// descriptor it points to (`int fd = *(int *)arg;`): the thread gets
// `fds[0]`, and `fds[1]` stays the caller's, so its close is seen (silent)
// and so is the missing one (reported: the reader thread never sees
// end-of-file). A routine that reads another element through the pointer
// (`p[1]`) gets the whole array, as a function we cannot see would.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -I%S
// RUN: %run_example %s closes-write-end exit
// RUN: %run_example %s keeps-write-end hang
// RUN: %run_example %s routine-indexes exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static size_t total;

/* Reads the descriptor it is pointed at until end-of-file. */
static void *count_bytes(void *arg) {
  int fd = *(int *)arg;
  char buf[64];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    __atomic_add_fetch(&total, (size_t)n, __ATOMIC_SEQ_CST);
  return NULL;
}

/* Reads p[0] until end-of-file after closing p[1]: it owns both. */
static void *drain_pair(void *arg) {
  int *p = arg;
  char buf[64];
  close(p[1]);
  while (read(p[0], buf, sizeof buf) > 0)
    ;
  close(p[0]);
  return NULL;
}

static int closes_write_end(void) {
  int fds[2];
  pthread_t t;
  if (pipe(fds) != 0)
    return -1;
  if (pthread_create(&t, NULL, count_bytes, &fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  write(fds[1], "hello", 5);
  close(fds[1]);
  pthread_join(t, NULL);
  close(fds[0]);
  return 0;
}

static int keeps_write_end(void) {
  int fds[2];
  pthread_t t;
  if (pipe(fds) != 0)
    return -1;
  if (pthread_create(&t, NULL, count_bytes, &fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  pthread_detach(t);
  write(fds[1], "hello", 5);
  /* The thread has its descriptor once it has read: then fds may go. */
  while (__atomic_load_n(&total, __ATOMIC_SEQ_CST) < 5)
    usleep(1000);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: write end 'fds[1]' of the pipe is still open when 'keeps_write_end' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-5]]:10: note: the loop condition is false: leaving the loop
}

static int routine_indexes(void) {
  int fds[2];
  pthread_t t;
  if (pipe(fds) != 0)
    return -1;
  if (pthread_create(&t, NULL, drain_pair, &fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  pthread_join(t, NULL);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "closes-write-end"))
    return closes_write_end() == 0 && total == 5 ? 0 : 1;
  if (!strcmp(argv[1], "keeps-write-end")) {
    if (keeps_write_end() != 0)
      return 1;
    /* The reader thread waits for end-of-file that never comes. */
    pthread_exit(NULL);
  }
  if (!strcmp(argv[1], "routine-indexes"))
    return routine_indexes();
  return 2;
}

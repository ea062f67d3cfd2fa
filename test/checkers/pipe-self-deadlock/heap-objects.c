// A pipe kept in a struct the function allocated: reading its read end to
// end-of-file while the struct still holds the write end never ends, as
// for a local struct. Closing the write end first (directly or through a
// helper given the pointer) ends the read.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s read-own hang
// RUN: %run_example %s close-first exit
// RUN: %run_example %s helper-closes exit

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct msgbuf {
  int fds[2];
  size_t len;
};

static int read_own(void) {
  struct msgbuf *m = calloc(1, sizeof *m);
  if (!m || pipe(m->fds) < 0) {
    free(m);
    return -1;
  }
  write(m->fds[1], "hello", 5);
  char buf[64];
  ssize_t n;
  while ((n = read(m->fds[0], buf, sizeof buf)) > 0)
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'm->fds[0]' until end-of-file never ends: this process still holds the write end 'm->fds[1]'; close 'm->fds[1]' before the read loop [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE-9]]:13: note: pipe created here
    m->len += (size_t)n;
  close(m->fds[0]);
  close(m->fds[1]);
  free(m);
  return 0;
}

static int close_first(void) {
  struct msgbuf *m = calloc(1, sizeof *m);
  if (!m || pipe(m->fds) < 0) {
    free(m);
    return -1;
  }
  write(m->fds[1], "hello", 5);
  close(m->fds[1]);
  char buf[64];
  ssize_t n;
  while ((n = read(m->fds[0], buf, sizeof buf)) > 0)
    m->len += (size_t)n;
  close(m->fds[0]);
  free(m);
  return 0;
}

static void finish_writing(struct msgbuf *m) { close(m->fds[1]); }

static int helper_closes(void) {
  struct msgbuf *m = malloc(sizeof *m);
  if (!m || pipe(m->fds) < 0) {
    free(m);
    return -1;
  }
  m->len = 0;
  write(m->fds[1], "hello", 5);
  finish_writing(m);
  char buf[64];
  ssize_t n;
  while ((n = read(m->fds[0], buf, sizeof buf)) > 0)
    m->len += (size_t)n;
  close(m->fds[0]);
  free(m);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "read-own"))
    return read_own();
  if (!strcmp(argv[1], "close-first"))
    return close_first();
  if (!strcmp(argv[1], "helper-closes"))
    return helper_closes();
  return 2;
}

// A write end given to a pthread through the `void *` of pthread_create():
// in a struct the routine reads as `struct job *`, or as the one descriptor
// an `int *` points to. The routine writes it and never closes it, and
// leaves it where it found it: it is still this function's, and this
// function reads the other end to end-of-file without closing it. One
// warning, at the read where the program blocks; pipe-self-deadlock stays
// silent. The near-miss routine closes the end on every path: silent, and
// the read ends.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock,pipe-unclosed-write-end %t
// RUN: %run_example %s struct hang
// RUN: %run_example %s pointer hang
// RUN: %run_example %s struct-closes exit

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct job {
  int wfd;
  int count;
};

static void *write_lines(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->count; ++i)
    dprintf(j->wfd, "line %d\n", i);
  return NULL;
}

static void *write_lines_and_close(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->count; ++i)
    dprintf(j->wfd, "line %d\n", i);
  close(j->wfd);
  return NULL;
}

static void *write_one(void *arg) {
  int fd = *(int *)arg;
  dprintf(fd, "one\n");
  return NULL;
}

static long drain(int fd) {
  long total = 0;
  char buf[128];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}


static long collect_struct_writer(void) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  struct job j = {fds[1], 10};
  pthread_t t;
  if (pthread_create(&t, NULL, write_lines, &j) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  long total = drain(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: the thread running 'write_lines' writes 'j.wfd' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: the thread running 'write_lines' starts here, given 'j.wfd'
  pthread_join(t, NULL);
  close(fds[0]);
  return total;
}

static long collect_struct_closes(void) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  struct job j = {fds[1], 10};
  pthread_t t;
  if (pthread_create(&t, NULL, write_lines_and_close, &j) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  long total = drain(fds[0]);
  pthread_join(t, NULL);
  close(fds[0]);
  return total;
}

static long collect_pointer(void) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  pthread_t t;
  if (pthread_create(&t, NULL, write_one, &fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  long total = drain(fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: the thread running 'write_one' writes 'fds[1]' and never closes it, so reading 'fds[0]' to end-of-file blocks forever; close it in that thread once it has written everything [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: the thread running 'write_one' starts here, given 'fds[1]'
  pthread_join(t, NULL);
  close(fds[0]);
  close(fds[1]);
  return total;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "struct"))
    return collect_struct_writer() > 0 ? 0 : 1;
  if (!strcmp(argv[1], "pointer"))
    return collect_pointer() > 0 ? 0 : 1;
  if (!strcmp(argv[1], "struct-closes"))
    return collect_struct_closes() == 70 ? 0 : 1;
  return 2;
}

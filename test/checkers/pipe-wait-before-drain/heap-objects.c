// A thread or child whose handle and pipe are kept in a struct the
// function allocated: joining the thread, or waiting for the child, before
// reading the pipe it fills beyond its capacity never returns, as for a
// local struct. Reading to end-of-file first, then joining, ends.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s join-first hang
// RUN: %run_example %s wait-first hang
// RUN: %run_example %s read-then-join exit

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct job {
  int fds[2];
  pthread_t tid;
  pid_t pid;
};

static void *produce(void *arg) {
  struct job *j = arg;
  char buf[4096];
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < 64; i++)
    write(j->fds[1], buf, sizeof buf);
  close(j->fds[1]);
  return NULL;
}

static int join_first(void) {
  struct job *j = calloc(1, sizeof *j);
  if (!j || pipe(j->fds) < 0) {
    free(j);
    return -1;
  }
  if (pthread_create(&j->tid, NULL, produce, j) != 0) {
    close(j->fds[0]);
    close(j->fds[1]);
    free(j);
    return -1;
  }
  pthread_join(j->tid, NULL);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() waits for thread 'j->tid' running 'produce' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this pthread_join() never returns; read 'j->fds[0]' to end-of-file before the pthread_join(), or read it from another thread while the writer runs [pipe-wait-before-drain]
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 'j->tid' running 'produce' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
// CHECK-MESSAGES: :[[@LINE-13]]:13: note: pipe created here
// CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'j->fds[0]' is read only here, after the wait
  char buf[4096];
  while (read(j->fds[0], buf, sizeof buf) > 0) {
  }
  close(j->fds[0]);
  free(j);
  return 0;
}

static int wait_first(void) {
  struct job *j = malloc(sizeof *j);
  if (!j || pipe(j->fds) < 0) {
    free(j);
    return -1;
  }
  j->pid = fork();
  if (j->pid < 0) {
    close(j->fds[0]);
    close(j->fds[1]);
    free(j);
    return -1;
  }
  if (j->pid == 0) {
    close(j->fds[0]);
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 64; i++)
      write(j->fds[1], buf, sizeof buf);
    _exit(0);
  }
  close(j->fds[1]);
  int st;
  waitpid(j->pid, &st, 0);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'j->pid' before its output pipe 'j->fds[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j->fds[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
// CHECK-MESSAGES: :[[@LINE-19]]:12: note: child process 'j->pid' starts here; it writes up to 262144 bytes, more than the pipe holds (65536 bytes)
// CHECK-MESSAGES: :[[@LINE-24]]:13: note: pipe created here
// CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'j->fds[0]' is read only here, after the wait
  char buf[4096];
  while (read(j->fds[0], buf, sizeof buf) > 0) {
  }
  close(j->fds[0]);
  free(j);
  return 0;
}

static int read_then_join(void) {
  struct job *j = calloc(1, sizeof *j);
  if (!j || pipe(j->fds) < 0) {
    free(j);
    return -1;
  }
  if (pthread_create(&j->tid, NULL, produce, j) != 0) {
    close(j->fds[0]);
    close(j->fds[1]);
    free(j);
    return -1;
  }
  char buf[4096];
  while (read(j->fds[0], buf, sizeof buf) > 0) {
  }
  pthread_join(j->tid, NULL);
  close(j->fds[0]);
  free(j);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "join-first"))
    return join_first();
  if (!strcmp(argv[1], "wait-first"))
    return wait_first();
  if (!strcmp(argv[1], "read-then-join"))
    return read_then_join();
  return 2;
}


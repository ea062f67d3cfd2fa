// A thread started with pthread_create() that reads the pipe until
// end-of-file, given the read end by value in its `void *` argument
// (`(void *)(intptr_t)fds[0]`), is joined while this thread still holds
// the write end: the reader never sees end-of-file, and the join never
// returns. The routine may convert its argument into a local (`int fd =
// (int)(intptr_t)arg;`), use the cast in the read itself, or hand the
// descriptor to a helper that drains it; the start may be tested
// (`if (pthread_create(...) != 0)`, which once made the reader's task be
// forgotten at the branch). Near misses: the write end closed before the
// join, and a routine that reads one message only.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t -- -- -pthread
// RUN: %run_example %s local hang -- -pthread
// RUN: %run_example %s cast hang -- -pthread
// RUN: %run_example %s helper hang -- -pthread
// RUN: %run_example %s closed-first exit -- -pthread
// RUN: %run_example %s one-message exit -- -pthread

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static void *collect_local(void *arg)
{
  int fd = (int)(intptr_t)arg;
  char buf[256];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return (void *)(intptr_t)total;
}

static void *collect_cast(void *arg)
{
  char buf[256];

  while (read((int)(intptr_t)arg, buf, sizeof buf) > 0)
    ;
  return NULL;
}

static void *collect_helper(void *arg)
{
  int fd = (int)(intptr_t)arg;

  drain(fd);
  return NULL;
}

static void *read_one(void *arg)
{
  int fd = (int)(intptr_t)arg;
  char buf[256];

  if (read(fd, buf, sizeof buf) < 0)
    perror("read");
  return NULL;
}

static int send_local(const char *msg)
{
  int fds[2];
  pthread_t t;

  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, collect_local, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, strlen(msg)) < 0)
    perror("write");
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: thread 't' running 'collect_local' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so thread 't' running 'collect_local' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: thread 't' running 'collect_local' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  close(fds[1]);
  close(fds[0]);
  return 0;
}

static int send_cast(const char *msg)
{
  int fds[2];
  pthread_t t;

  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, collect_cast, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, strlen(msg)) < 0)
    perror("write");
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: thread 't' running 'collect_cast' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so thread 't' running 'collect_cast' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: thread 't' running 'collect_cast' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  close(fds[1]);
  close(fds[0]);
  return 0;
}

static int send_helper(const char *msg)
{
  int fds[2];
  pthread_t t;

  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, collect_helper, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, strlen(msg)) < 0)
    perror("write");
  pthread_join(t, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: thread 't' running 'collect_helper' is joined here, but it reads 'fds[0]' until end-of-file while this thread still holds the write end 'fds[1]': end-of-file never comes, so thread 't' running 'collect_helper' never finishes and this join never returns; close 'fds[1]' before joining [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: thread 't' running 'collect_helper' starts here; it reads 'fds[0]' until end-of-file
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here; its write end 'fds[1]' is still open at the join
  close(fds[1]);
  close(fds[0]);
  return 0;
}

static int send_closed_first(const char *msg)
{
  int fds[2];
  pthread_t t;

  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, collect_local, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, strlen(msg)) < 0)
    perror("write");
  close(fds[1]);
  pthread_join(t, NULL);
  close(fds[0]);
  return 0;
}

static int send_one_message(const char *msg)
{
  int fds[2];
  pthread_t t;

  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, read_one, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (write(fds[1], msg, strlen(msg)) < 0)
    perror("write");
  pthread_join(t, NULL);
  close(fds[1]);
  close(fds[0]);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "local") == 0)
    return send_local("hello\n");
  if (strcmp(s, "cast") == 0)
    return send_cast("hello\n");
  if (strcmp(s, "helper") == 0)
    return send_helper("hello\n");
  if (strcmp(s, "closed-first") == 0)
    return send_closed_first("hello\n");
  if (strcmp(s, "one-message") == 0)
    return send_one_message("hello\n");
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

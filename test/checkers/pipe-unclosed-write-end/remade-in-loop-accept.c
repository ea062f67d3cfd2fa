// pipe-unclosed-write-end: a pipe made again in a loop while the ends the
// last turn made are open, in the shapes of real accept and job loops:
// nested loops, a fork() behind a helper one or two calls deep, read ends
// kept in an array for later turns, the pid given to a function that only
// reads it (`const unsigned char *`, dropbear's addrandom()), an endless
// loop, and failed pipe() calls between the turn that leaked and the next
// pipe(). One warning per loop, at the pipe() made again, with the branch
// of the turn that went round without the close; the return after the loop
// leaks the same ends and is not reported again. The leak scenarios run 8
// turns that take the path and abort when exactly 16 more descriptors are
// open; the near misses close the ends on every path and finish.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s accept-leak abort
// RUN: %run_example %s jobs-leak abort
// RUN: %run_example %s requests-leak abort
// RUN: %run_example %s accept-closed exit
// RUN: %run_example %s retry-closed exit

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 16

static int open_descriptors(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

static unsigned char pool[64];

/* The entropy pool takes any bytes; an alias, so that the checks see only
 * the declaration, as of a function in another file. */
void note_entropy(const unsigned char *buf, unsigned len)
    __attribute__((alias("mix_into_pool")));
void mix_into_pool(const unsigned char *buf, unsigned len)
{
  for (unsigned i = 0; i < len; i++)
    pool[i % sizeof pool] ^= buf[i];
}

/* Out of processes on every third connection. */
static pid_t start_worker(int turn)
{
  if (turn % 3 == 2) {
    errno = EAGAIN;
    return -1;
  }
  return fork();
}

static pid_t start_checked(int turn)
{
  pid_t pid = start_worker(turn);
  if (pid < 0)
    perror("fork");
  return pid;
}

static void reap_all(void)
{
  while (waitpid(-1, NULL, 0) > 0)
    ;
}

/* dropbear's accept loop: each connection's child reports on a pipe whose
 * read end waits in childpipes[] for the next round; a failed fork() jumps
 * to the common end of the turn, past the close. */
void accept_loop(int rounds)
{
  int childpipes[SLOTS];
  int childpipe[2];
  int round, i, turn = 0;

  for (i = 0; i < SLOTS; i++)
    childpipes[i] = -1;
  for (round = 0; round < rounds; round++) {
    for (i = 0; i < SLOTS; i++)
      if (childpipes[i] >= 0) {
        char c;
        if (read(childpipes[i], &c, 1) < 0)
          perror("read");
        close(childpipes[i]);
        childpipes[i] = -1;
      }
    for (i = 0; i < 2; i++) {
      pid_t pid;
      turn++;
      if (pipe(childpipe) < 0)
        goto out;
      // CHECK-MESSAGES: :[[@LINE-2]]:11: warning: 'accept_loop' makes this pipe again while the write end 'childpipe[1]' and the read end 'childpipe[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
      pid = start_worker(turn);
      // CHECK-MESSAGES: :[[@LINE+1]]:11: note: taking the true branch
      if (pid < 0)
        goto out;
      note_entropy((void *)&pid, sizeof pid);
      if (pid == 0) {
        close(childpipe[0]);
        if (write(childpipe[1], "k", 1) != 1)
          _exit(1);
        _exit(0);
      }
      childpipes[i] = childpipe[0];
      close(childpipe[1]);
    out:;
    }
  }
  for (i = 0; i < SLOTS; i++)
    if (childpipes[i] >= 0)
      close(childpipes[i]);
  reap_all();
}

/* A job per turn; a job whose pipe cannot be made is skipped, and so is
 * one whose process cannot be started, without its pipe closed. */
int run_jobs(int n)
{
  int failures = 0;
  for (int i = 0; i < n; i++) {
    int fds[2];
    char buf[64];
    if (pipe(fds) < 0)
      continue;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'run_jobs' makes this pipe again while the write end 'fds[1]' and the read end 'fds[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    pid_t pid = start_checked(i);
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (pid < 0) {
      failures++;
      continue;
    }
    if (pid == 0) {
      close(fds[0]);
      _exit(write(fds[1], "done", 4) != 4);
    }
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    close(fds[0]);
    waitpid(pid, NULL, 0);
  }
  return failures;
}

static int request_kind(int turn) { return turn % 3 == 2 ? 2 : 1; }

/* An endless request loop that only a count ends: a request of the wrong
 * kind goes round again with its pipe open. */
void serve_requests(int n)
{
  int served = 0;
  for (;;) {
    int p[2];
    if (served++ == n)
      break;
    if (pipe(p) < 0)
      continue;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'serve_requests' makes this pipe again while the write end 'p[1]' and the read end 'p[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (request_kind(served) == 2)
      continue;
    if (write(p[1], "r", 1) != 1)
      perror("write");
    close(p[1]);
    close(p[0]);
  }
}

/* Near miss: the accept loop that closes both ends when fork() fails. */
void accept_loop_closed(int rounds)
{
  int childpipes[SLOTS];
  int childpipe[2];
  int round, i, turn = 0;

  for (i = 0; i < SLOTS; i++)
    childpipes[i] = -1;
  for (round = 0; round < rounds; round++) {
    for (i = 0; i < SLOTS; i++)
      if (childpipes[i] >= 0) {
        char c;
        if (read(childpipes[i], &c, 1) < 0)
          perror("read");
        close(childpipes[i]);
        childpipes[i] = -1;
      }
    for (i = 0; i < 2; i++) {
      pid_t pid;
      turn++;
      if (pipe(childpipe) < 0)
        goto out;
      pid = start_worker(turn);
      if (pid < 0) {
        close(childpipe[0]);
        close(childpipe[1]);
        goto out;
      }
      note_entropy((void *)&pid, sizeof pid);
      if (pid == 0) {
        close(childpipe[0]);
        if (write(childpipe[1], "k", 1) != 1)
          _exit(1);
        _exit(0);
      }
      childpipes[i] = childpipe[0];
      close(childpipe[1]);
    out:;
    }
  }
  for (i = 0; i < SLOTS; i++)
    if (childpipes[i] >= 0)
      close(childpipes[i]);
  reap_all();
}

/* Near miss: a retry loop that keeps the pipe of the try that worked and
 * closes it after the loop. */
static int try_use(int fd, int attempt) { return attempt >= 2 && fd >= 0; }

int retry_closed(void)
{
  int p[2] = {-1, -1};
  int attempt;
  for (attempt = 0; attempt < 5; attempt++) {
    if (pipe(p) < 0)
      return -1;
    if (try_use(p[1], attempt))
      break;
    close(p[0]);
    close(p[1]);
  }
  if (attempt == 5)
    return -1;
  close(p[0]);
  close(p[1]);
  return attempt;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_descriptors();

  if (strcmp(s, "accept-leak") == 0) {
    accept_loop(12); /* 8 of the 24 connections cannot fork */
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "jobs-leak") == 0) {
    run_jobs(24);
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "requests-leak") == 0) {
    serve_requests(24);
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "accept-closed") == 0) {
    accept_loop_closed(12);
    return open_descriptors() != before;
  }
  if (strcmp(s, "retry-closed") == 0) {
    if (retry_closed() != 2)
      return 1;
    return open_descriptors() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// The address of one member of a struct given away (`gettimeofday(&c.started,
// NULL)`, `pthread_mutex_init(&c.lock, NULL)`, whose bodies are not seen)
// lets the callee change that member, not the struct's other members:
// the pipe kept beside it in `c.fds` is still followed, so its closes are
// seen and a leak on one path is reported once, in the right words.
// Reaching a sibling from a member's address takes a container_of(),
// which the engine does not assume.
//
// Before, the whole struct stopped being followed at such a call, and the
// closes after it went unseen: the near miss, which closes both ends on
// every path, was reported as "no path closes it", and the finding said
// "readers ... block forever" although its read end is closed.
//
// The finding leaks one descriptor per failed call (the scenario counts
// them); the near miss closes both ends on every path, returns and stays
// silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s leaks exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "count-fds.h"

struct job {
  int id;
  const char *name;
};

struct conn {
  int fds[2];
  struct timeval started;
  pthread_mutex_t lock;
  struct job job;
};

/* A function of the program given one member (defined below). */
void job_init(struct job *j, const char *name);

int open_conn(const char *name, int fail)
{
  struct conn c;

  if (pipe(c.fds) < 0)
    return -1;
  gettimeofday(&c.started, NULL);
  pthread_mutex_init(&c.lock, NULL);
  job_init(&c.job, name);
  if (fail) {
    close(c.fds[0]);
    return -1;
  }
  // CHECK-MESSAGES: :[[@LINE-2]]:5: warning: 'open_conn' leaks the write end 'c.fds[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  pthread_mutex_destroy(&c.lock);
  close(c.fds[0]);
  close(c.fds[1]);
  return 0;
}

int open_conn_closed(const char *name, int fail)
{
  struct conn c;

  if (pipe(c.fds) < 0)
    return -1;
  gettimeofday(&c.started, NULL);
  pthread_mutex_init(&c.lock, NULL);
  job_init(&c.job, name);
  if (fail) {
    close(c.fds[0]);
    close(c.fds[1]);
    return -1;
  }
  pthread_mutex_destroy(&c.lock);
  close(c.fds[0]);
  close(c.fds[1]);
  return 0;
}

void job_init(struct job *j, const char *name)
{
  j->id = 1;
  j->name = name;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();

  if (strcmp(s, "leaks") == 0) {
    /* Three failed calls leak three write ends. */
    for (int i = 0; i < 3; i++)
      if (open_conn("x", 1) != -1)
        return 1;
    return open_fds() - before == 3 ? 0 : 1;
  }
  if (strcmp(s, "closes") == 0) {
    for (int i = 0; i < 3; i++)
      if (open_conn_closed("x", i % 2) == -2)
        return 1;
    return open_fds() == before ? 0 : 1;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

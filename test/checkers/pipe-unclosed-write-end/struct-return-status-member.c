// A helper returns the pipe in a struct by value with a status member
// besides the ends: `err` is 0 on every success, errno on failure (both
// ends -1). The caller tells failure by that member (`if (pp.err) return
// -1;`), not by the ends: on that path nothing was made and nothing
// leaks, so no warning goes there. The leak on the caller's next failure
// (a rejected option, after the pipe was made) is reported, at depth 1
// and through a second helper that passes the struct on. The near miss
// closes both ends on that failure.
//
// Each leak scenario tries three times with a bad option and counts the
// descriptors left open (6: both ends each time); the near miss counts 0.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
// RUN: %run_example %s depth1 exit -- -I%S/Inputs
// RUN: %run_example %s depth2 exit -- -I%S/Inputs
// RUN: %run_example %s closes exit -- -I%S/Inputs

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "count-fds.h"

struct pipe_pair {
  int rd;
  int wr;
  int err;
};

static struct pipe_pair pipe_pair_open(void)
{
  struct pipe_pair pp = {.rd = -1, .wr = -1, .err = 0};
  int fds[2];

  if (pipe(fds) < 0) {
    pp.err = errno;
    return pp;
  }
  pp.rd = fds[0];
  pp.wr = fds[1];
  return pp;
}

/* Depth 2: passes the struct on. */
static struct pipe_pair progress_pipe(void) { return pipe_pair_open(); }

struct progress {
  int rd, wr, interval;
};

static int progress_open(struct progress *p, int interval)
{
  struct pipe_pair pp = pipe_pair_open();

  if (pp.err) {
    fprintf(stderr, "progress pipe: %s\n", strerror(pp.err));
    return -1;
  }
  if (interval < 10) {
    fprintf(stderr, "interval %d too short\n", interval);
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'progress_open' leaks the write end 'pp.wr' (and the read end 'pp.rd') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-10]]:25: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  p->rd = pp.rd;
  p->wr = pp.wr;
  p->interval = interval;
  return 0;
}

static int progress_open_2(struct progress *p, int interval)
{
  struct pipe_pair pp = progress_pipe();

  if (pp.err != 0)
    return -1;
  if (interval < 10)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'progress_open_2' leaks the write end 'pp.wr' (and the read end 'pp.rd') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-7]]:25: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  p->rd = pp.rd;
  p->wr = pp.wr;
  p->interval = interval;
  return 0;
}

static int progress_open_ok(struct progress *p, int interval)
{
  struct pipe_pair pp = pipe_pair_open();

  if (pp.err)
    return -1;
  if (interval < 10) {
    close(pp.rd);
    close(pp.wr);
    return -1;
  }
  p->rd = pp.rd;
  p->wr = pp.wr;
  p->interval = interval;
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int (*open_fn)(struct progress *, int) =
      strcmp(s, "depth1") == 0   ? progress_open
      : strcmp(s, "depth2") == 0 ? progress_open_2
                                 : progress_open_ok;
  struct progress p;
  int before = open_fds();

  for (int i = 0; i < 3; i++)
    if (open_fn(&p, 5) == 0)
      return 2;
  int leaked = open_fds() - before;
  if (strcmp(s, "closes") == 0)
    return leaked == 0 ? 0 : 3;
  return leaked == 6 ? 0 : 3;
}

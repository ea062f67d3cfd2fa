// A helper that allocates a struct, makes a pipe into it and returns the
// pointer (NULL on failure) gives its caller the object: the caller leaks
// the ends on a path that frees it (or returns) without closing them,
// through a helper at depth 1 or 2. A caller that closes them (itself or
// through a helper), returns the object on, or stores it in a global is
// silent. The leak scenarios abort when two more descriptors are open; the
// near-misses exit 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s depth1 abort
// RUN: %run_example %s depth2 abort
// RUN: %run_example %s closed exit
// RUN: %run_example %s passed-on exit
// RUN: %run_example %s global exit

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_descriptors(void) {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

struct chan {
  int fds[2];
  int id;
};

static struct chan *chan_new(void) {
  struct chan *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (pipe(c->fds) < 0) {
    free(c);
    return NULL;
  }
  return c;
}

static struct chan *chan_named(int id) {
  struct chan *c = chan_new();
  if (!c)
    return NULL;
  c->id = id;
  return c;
}

static void chan_free(struct chan *c) {
  close(c->fds[0]);
  close(c->fds[1]);
  free(c);
}

static int valid(int id) { return id > 0 && id < 100; }

static int depth1(int id) {
  struct chan *c = chan_new();
  if (!c)
    return -1;
  if (!valid(id)) {
    free(c);
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'depth1' leaks the write end 'c->fds[1]' (and the read end 'c->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-7]]:20: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  write(c->fds[1], "x", 1);
  chan_free(c);
  return 0;
}

static int depth2(int id) {
  struct chan *ch = chan_named(id);
  if (!ch)
    return -1;
  if (!valid(ch->id))
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'depth2' leaks the write end 'ch->fds[1]' (and the read end 'ch->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-6]]:21: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  chan_free(ch);
  return 0;
}

static int closed(int id) {
  struct chan *c = chan_new();
  if (!c)
    return -1;
  if (!valid(id)) {
    chan_free(c);
    return -1;
  }
  chan_free(c);
  return 0;
}

static struct chan *passed_on(int id) {
  struct chan *c = chan_named(id);
  if (!c)
    return NULL;
  write(c->fds[1], "y", 1);
  return c;
}

static struct chan *the_chan;

static int global(void) {
  struct chan *c = chan_new();
  if (!c)
    return -1;
  the_chan = c;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  int before = open_descriptors();
  if (!strcmp(s, "depth1")) {
    depth1(1000);
    if (open_descriptors() == before + 2)
      abort();
    return 1;
  }
  if (!strcmp(s, "depth2")) {
    depth2(1000);
    if (open_descriptors() == before + 2)
      abort();
    return 1;
  }
  if (!strcmp(s, "closed")) {
    closed(1000);
    closed(5);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "passed-on")) {
    struct chan *c = passed_on(5);
    if (!c)
      return 1;
    chan_free(c);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "global")) {
    if (global() != 0)
      return 1;
    chan_free(the_chan);
    return open_descriptors() == before ? 0 : 1;
  }
  return 2;
}

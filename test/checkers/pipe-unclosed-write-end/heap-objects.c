// A struct the function allocates (calloc, malloc, a malloc-attributed
// wrapper) is followed like a local one until its address leaves the
// function: a pipe made into it, directly or by a helper given the
// pointer, leaks on a path that frees the struct (or just returns) without
// closing the ends. Returned, stored in a list another function walks, or
// given to a function that may keep it, the struct and its ends are the
// new holder's. The leak scenarios abort when the function left two more
// descriptors open; the near-miss scenarios exit 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s free-on-error abort
// RUN: %run_example %s helper-made abort
// RUN: %run_example %s wrapper-alloc abort
// RUN: %run_example %s plain-wrapper abort
// RUN: %run_example %s looked-up exit
// RUN: %run_example %s returned exit
// RUN: %run_example %s listed exit
// RUN: %run_example %s closed-by-helper exit
// RUN: %run_example %s loop-closed exit
// RUN: %run_example %s kept-by-callee exit

#include <fcntl.h>
#include <stdio.h>
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
  struct chan *next;
};

static int check_id(int id) { return id >= 0 && id < 100; }

// calloc'ed, pipe() into it, and a validation failure that frees it.
static struct chan *chan_new(int id) {
  struct chan *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (pipe(c->fds) < 0) {
    free(c);
    return NULL;
  }
  if (!check_id(id)) {
    free(c);
    return NULL;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'chan_new' leaks the write end 'c->fds[1]' (and the read end 'c->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  c->id = id;
  return c;
}

// A helper makes the pipe through the pointer (depth 1).
static int chan_open(struct chan *c) { return pipe(c->fds); }

static int chan_use(int id) {
  struct chan *c = malloc(sizeof *c);
  if (!c)
    return -1;
  if (chan_open(c) < 0) {
    free(c);
    return -1;
  }
  if (!check_id(id)) {
    free(c);
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'chan_use' leaks the write end 'c->fds[1]' (and the read end 'c->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  write(c->fds[1], "x", 1);
  close(c->fds[1]);
  close(c->fds[0]);
  free(c);
  return 0;
}

// A project's own allocator, declared as one.
__attribute__((malloc)) static void *xzalloc(size_t n) {
  void *p = calloc(1, n);
  if (!p)
    abort();
  return p;
}

static int wrapper_alloc(int id) {
  struct chan *c = xzalloc(sizeof *c);
  if (pipe(c->fds) < 0)
    return -1;
  if (!check_id(id))
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'wrapper_alloc' leaks the write end 'c->fds[1]' (and the read end 'c->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  close(c->fds[0]);
  close(c->fds[1]);
  free(c);
  return 0;
}

// A wrapper with no attribute, recognised from its body: every return
// gives back what malloc() returned (two wrappers deep).
static void *xmalloc_plain(size_t n) {
  void *p = malloc(n);
  if (!p)
    abort();
  return p;
}
static void *xnew(size_t n) { return xmalloc_plain(n); }

static int plain_wrapper(int id) {
  struct chan *c = xnew(sizeof *c);
  if (pipe(c->fds) < 0) {
    free(c);
    return -1;
  }
  if (!check_id(id)) {
    free(c);
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'plain_wrapper' leaks the write end 'c->fds[1]' (and the read end 'c->fds[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  }
  close(c->fds[0]);
  close(c->fds[1]);
  free(c);
  return 0;
}

// Near-misses.
static struct chan *all_chans;

// Not an allocator: it returns a struct that the table keeps.
static struct chan *table[4];
static struct chan *slot(int i) { return table[i & 3]; }

static int looked_up(int i) {
  struct chan *c = slot(i);
  if (!c || pipe(c->fds) < 0)
    return -1;
  return 0;
}

static void chan_close(struct chan *c) {
  close(c->fds[0]);
  close(c->fds[1]);
}

static int closed_by_helper(void) {
  struct chan *c = calloc(1, sizeof *c);
  if (!c || pipe(c->fds) < 0) {
    free(c);
    return -1;
  }
  chan_close(c);
  free(c);
  return 0;
}

static int listed(int id) {
  struct chan *c = calloc(1, sizeof *c);
  if (!c || pipe(c->fds) < 0) {
    free(c);
    return -1;
  }
  c->id = id;
  c->next = all_chans;
  all_chans = c;
  return 0;
}

static void close_all(void) {
  while (all_chans) {
    struct chan *c = all_chans;
    all_chans = c->next;
    chan_close(c);
    free(c);
  }
}

static int loop_closed(void) {
  struct chan *head = NULL;
  for (int i = 0; i < 4; i++) {
    struct chan *c = calloc(1, sizeof *c);
    if (!c || pipe(c->fds) < 0) {
      free(c);
      break;
    }
    c->next = head;
    head = c;
  }
  while (head) {
    struct chan *c = head;
    head = c->next;
    chan_close(c);
    free(c);
  }
  return 0;
}

struct registry {
  struct chan *items[8];
  int n;
};
static struct registry reg;
static void registry_add(struct registry *r, struct chan *c) { r->items[r->n++] = c; }

static int kept_by_callee(void) {
  struct chan *c = calloc(1, sizeof *c);
  if (!c || pipe(c->fds) < 0) {
    free(c);
    return -1;
  }
  registry_add(&reg, c);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  int before = open_descriptors();
  if (!strcmp(s, "free-on-error")) {
    chan_new(1000);
    return open_descriptors() == before + 2 ? (abort(), 1) : 1;
  }
  if (!strcmp(s, "helper-made")) {
    chan_use(1000);
    return open_descriptors() == before + 2 ? (abort(), 1) : 1;
  }
  if (!strcmp(s, "wrapper-alloc")) {
    wrapper_alloc(1000);
    return open_descriptors() == before + 2 ? (abort(), 1) : 1;
  }
  if (!strcmp(s, "plain-wrapper")) {
    plain_wrapper(1000);
    return open_descriptors() == before + 2 ? (abort(), 1) : 1;
  }
  if (!strcmp(s, "looked-up")) {
    static struct chan c;
    table[1] = &c;
    if (looked_up(1) != 0)
      return 1;
    chan_close(table[1]);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "returned")) {
    struct chan *c = chan_new(5);
    if (!c)
      return 1;
    chan_close(c);
    free(c);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "listed")) {
    listed(1);
    listed(2);
    close_all();
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "closed-by-helper"))
    return closed_by_helper() == 0 && open_descriptors() == before ? 0 : 1;
  if (!strcmp(s, "loop-closed"))
    return loop_closed() == 0 && open_descriptors() == before ? 0 : 1;
  if (!strcmp(s, "kept-by-callee")) {
    kept_by_callee();
    for (int i = 0; i < reg.n; i++)
      chan_close(reg.items[i]);
    return open_descriptors() == before ? 0 : 1;
  }
  return 2;
}

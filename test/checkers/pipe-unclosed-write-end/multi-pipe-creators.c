/* Helpers that make more than one pipe for their caller (a child's stdin
 * and stdout pipes): the caller gets every end, in the places the helper
 * left them, and a path that forgets one is reported there. The helper
 * may fill a struct it is given (one and two calls deep) or allocate the
 * struct and return it. A helper that only writes or reads an end it
 * reaches in the caller's struct (`send_line(d, ...)`) leaves the struct
 * with the caller, so a leak after it is still seen.
 *  - each reported path leaks the ends it names (the scenarios count the
 *    descriptors left open);
 *  - the near-misses close everything and leave nothing open.
 *
 * RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
 * RUN: %run_example %s leaks exit -- -I%S/Inputs
 * RUN: %run_example %s closes exit -- -I%S/Inputs
 */
#include "count-fds.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct duplex {
  int to[2];   /* parent -> child */
  int from[2]; /* child -> parent */
};

/* Two pipes into the caller's struct; on failure nothing stays open. */
static int duplex_open(struct duplex *d)
{
  if (pipe(d->to) != 0)
    return -1;
  if (pipe(d->from) != 0) {
    close(d->to[0]);
    close(d->to[1]);
    return -1;
  }
  return 0;
}

/* Two calls deep. */
static int duplex_setup(struct duplex *d) { return duplex_open(d); }

/* The struct allocated and returned. */
static struct duplex *duplex_new(void)
{
  struct duplex *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  if (duplex_open(d) != 0) {
    free(d);
    return NULL;
  }
  return d;
}

static void duplex_close(struct duplex *d)
{
  close(d->to[0]);
  close(d->to[1]);
  close(d->from[0]);
  close(d->from[1]);
}

/* Uses an end of the caller's struct, and leaves it there. */
static int send_line(struct duplex *d, const char *s)
{
  size_t n = strlen(s);
  if (n == 0)
    return -1; /* nothing to send */
  return write(d->to[1], s, n) == (ssize_t)n ? 0 : -1;
}

static int ping(const char *msg)
{
  struct duplex d;
  if (duplex_open(&d) != 0)
    return -1;
  if (send_line(&d, msg) != 0)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ping' leaks the write end 'd.to[1]' (and the read end 'd.to[0]') of the pipe and the write end 'd.from[1]' (and the read end 'd.from[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  duplex_close(&d);
  return 0;
}

static int ping_deep(const char *msg)
{
  struct duplex d;
  if (duplex_setup(&d) != 0)
    return -1;
  if (!*msg)
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ping_deep' leaks the write end 'd.to[1]' (and the read end 'd.to[0]') of the pipe and the write end 'd.from[1]' (and the read end 'd.from[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: taking the true branch
  duplex_close(&d);
  return 0;
}

static int ping_heap(const char *msg)
{
  struct duplex *d = duplex_new();
  if (!d)
    return -1;
  if (send_line(d, msg) != 0) {
    close(d->to[0]);
    close(d->to[1]);
    free(d);
    return -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ping_heap' leaks the write end 'd->from[1]' (and the read end 'd->from[0]') of the pipe when it returns here; each call that takes this path leaks them; close them on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-9]]:22: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: taking the true branch
  }
  duplex_close(d);
  free(d);
  return 0;
}

/* Near-misses: every path closes what the helper made. */
static int ping_ok(const char *msg)
{
  struct duplex d;
  if (duplex_setup(&d) != 0)
    return -1;
  if (send_line(&d, msg) != 0) {
    duplex_close(&d);
    return -1;
  }
  duplex_close(&d);
  return 0;
}

static int ping_heap_ok(const char *msg)
{
  struct duplex *d = duplex_new();
  if (!d)
    return -1;
  int rc = send_line(d, msg);
  duplex_close(d);
  free(d);
  return rc;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (!strcmp(s, "leaks")) {
    /* Each failed call leaks what the helper made and the path forgets:
     * ping and ping_deep both pipes, ping_heap one. */
    for (int i = 0; i < 8; i++) {
      ping("");
      ping_deep("");
      ping_heap("");
    }
    return open_fds() - before != 8 * (4 + 4 + 2);
  }
  if (!strcmp(s, "closes")) {
    for (int i = 0; i < 8; i++) {
      ping("x");
      ping_deep("x");
      ping_heap("x");
      ping_ok("x");
      ping_heap_ok("x");
    }
    return open_fds() != before;
  }
  return 2;
}

// pipe-self-deadlock through a struct cleared with memset() or bzero()
// before a helper puts a pipe in it. Clearing a struct keeps nothing of
// it: the struct stays the function's own, and the ends the helper stores
// in it are followed (a call of an unknown function would have taken the
// struct away, and with it every check of its ends). Shapes: memset of a
// local struct, bzero of one, memset through a pointer parameter in a
// helper one call down, and a partial memset (only the bytes before a
// member) that leaves the ends it does not cover alone.
//
// Near misses, each run: the same with the write end closed before the
// read-back.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s memset-local hang
// RUN: %run_example %s bzero-local hang
// RUN: %run_example %s memset-in-helper hang
// RUN: %run_example %s partial-memset hang
// RUN: %run_example %s memset-local-closed exit
// RUN: %run_example %s memset-in-helper-closed exit

#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct chan {
  char name[16];
  int fds[2];
  long sent;
};

static int chan_open(struct chan *c) {
  if (pipe(c->fds) < 0)
    return -1;
  c->sent = 0;
  return 0;
}

static long read_back(int fd) {
  char buf[32];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int memset_local(int close_first) {
  struct chan c;
  memset(&c, 0, sizeof c);
  if (chan_open(&c) < 0)
    return -1;
  write(c.fds[1], "ping", 4);
  if (close_first)
    close(c.fds[1]);
  long n = read_back(c.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'c.fds[0]' until end-of-file never ends: this process still holds the write end 'c.fds[1]'; close 'c.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(c.fds[0]);
  if (!close_first)
    close(c.fds[1]);
  return n == 4 ? 0 : 1;
}

static int bzero_local(void) {
  struct chan c;
  bzero(&c, sizeof(struct chan));
  if (chan_open(&c) < 0)
    return -1;
  write(c.fds[1], "ping", 4);
  long n = read_back(c.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'c.fds[0]' until end-of-file never ends: this process still holds the write end 'c.fds[1]'; close 'c.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(c.fds[0]);
  close(c.fds[1]);
  return n == 4 ? 0 : 1;
}

static int prepare(struct chan *c, const char *name) {
  memset(c, 0, sizeof *c);
  strncpy(c->name, name, sizeof c->name - 1);
  return chan_open(c);
}

static int memset_in_helper(int close_first) {
  struct chan c;
  if (prepare(&c, "helper") < 0)
    return -1;
  write(c.fds[1], "ping", 4);
  if (close_first)
    close(c.fds[1]);
  long n = read_back(c.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'c.fds[0]' until end-of-file never ends: this process still holds the write end 'c.fds[1]'; close 'c.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(c.fds[0]);
  if (!close_first)
    close(c.fds[1]);
  return n == 4 ? 0 : 1;
}

static int partial_memset(void) {
  struct chan c;
  if (chan_open(&c) < 0)
    return -1;
  memset(&c, 0, offsetof(struct chan, fds)); /* the name only */
  write(c.fds[1], "ping", 4);
  long n = read_back(c.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: reading 'c.fds[0]' until end-of-file never ends: this process still holds the write end 'c.fds[1]'; close 'c.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  close(c.fds[0]);
  close(c.fds[1]);
  return n == 4 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "memset-local"))
    return memset_local(0);
  if (!strcmp(s, "bzero-local"))
    return bzero_local();
  if (!strcmp(s, "memset-in-helper"))
    return memset_in_helper(0);
  if (!strcmp(s, "partial-memset"))
    return partial_memset();
  if (!strcmp(s, "memset-local-closed"))
    return memset_local(1);
  if (!strcmp(s, "memset-in-helper-closed"))
    return memset_in_helper(1);
  return 64;
}

/* A helper that closes what it is given only when it holds a descriptor
 * (`if (fd >= 0) close(fd);`, `if (c->wr != -1) { close(c->wr); c->wr =
 * -1; }`) closes the caller's end: the caller's end is a descriptor, so
 * the path where the test fails is not the caller's. The ends such a
 * helper does not close stay the caller's, and a leak of them is reported.
 *  - leaks: the write end the helper leaves open leaks on every call;
 *  - closes: the near-misses close both ends and leave nothing open.
 *
 * RUN: %check_pipe_tidy --require-analysed %s pipe-unclosed-write-end %t -- -- -I%S/Inputs
 * RUN: %run_example %s leaks exit -- -I%S/Inputs
 * RUN: %run_example %s closes exit -- -I%S/Inputs
 */
#include "count-fds.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct chan {
  int rd, wr;
};

static int chan_open(struct chan *c)
{
  int p[2];
  if (pipe(p) != 0)
    return -1;
  c->rd = p[0];
  c->wr = p[1];
  return 0;
}

static void close_fd(int fd)
{
  if (fd >= 0)
    close(fd);
}

static void chan_close_read(struct chan *c)
{
  if (c->rd != -1) {
    close(c->rd);
    c->rd = -1;
  }
}

static void chan_close(struct chan *c)
{
  if (c->wr >= 0)
    close(c->wr);
  if (c->rd >= 0)
    close(c->rd);
  c->rd = c->wr = -1;
}

/* Closes the read end only. */
static int notify(char c)
{
  struct chan ch;
  if (chan_open(&ch) != 0)
    return -1;
  if (write(ch.wr, &c, 1) != 1)
    c = 0;
  chan_close_read(&ch);
  return c;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'notify' leaks the write end 'ch.wr' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
}

/* Near-misses. */
static int notify_ok(char c)
{
  struct chan ch;
  if (chan_open(&ch) != 0)
    return -1;
  if (write(ch.wr, &c, 1) != 1)
    c = 0;
  chan_close(&ch);
  return c;
}

static int ping_ok(char c)
{
  int p[2];
  if (pipe(p) != 0)
    return -1;
  if (write(p[1], &c, 1) != 1)
    c = 0;
  close_fd(p[1]);
  char got = 0;
  if (read(p[0], &got, 1) != 1)
    got = 0;
  close_fd(p[0]);
  return got;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  if (!strcmp(s, "leaks")) {
    for (int i = 0; i < 8; i++)
      notify('x');
    return open_fds() - before != 8;
  }
  if (!strcmp(s, "closes")) {
    for (int i = 0; i < 8; i++) {
      notify_ok('x');
      ping_ok('x');
    }
    return open_fds() != before;
  }
  return 2;
}

/* pipe-self-deadlock through a C helper that moves a channel's
 * descriptors from one struct into another and first tests whether the two
 * are the same (`if (dst == src) return;`). The engine takes the objects
 * two parameters point to to be distinct places, so the test goes the
 * "different" way and the helper's summary moves the ends: the caller
 * follows them into the struct it reads from. Before, the helper had two
 * outcomes (moved, or left alone) and no summary, and the ends were handed
 * off.
 *
 * Each finding reads the pipe to end-of-file while this process still
 * holds the write end; each hangs. The near miss closes the write end
 * first and finishes.
 *
 * RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=gnu11
 * RUN: %run_example %s taken hang
 * RUN: %run_example %s taken-twice hang
 * RUN: %run_example %s taken-closed exit
 */
#include <string.h>
#include <unistd.h>

struct chan {
  int rd, wr;
};

/* Moves src's descriptors into dst, closing what dst held. */
static void chan_take(struct chan *dst, struct chan *src)
{
  if (dst == src)
    return;
  if (dst->wr >= 0)
    close(dst->wr);
  if (dst->rd >= 0)
    close(dst->rd);
  dst->rd = src->rd;
  dst->wr = src->wr;
  src->rd = src->wr = -1;
}

/* The same one level further down, with the test the other way round. */
static int chan_adopt(struct chan *dst, struct chan *src)
{
  if (src != dst) {
    chan_take(dst, src);
    return 1;
  }
  return 0;
}

static size_t drain(int fd)
{
  char buf[256];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += (size_t)n;
  return total;
}

static size_t taken(void)
{
  int fds[2];
  struct chan fresh, live = {-1, -1};
  if (pipe(fds) < 0)
    return 0;
  fresh.rd = fds[0];
  fresh.wr = fds[1];
  chan_take(&live, &fresh);
  write(live.wr, "x", 1);
  return drain(live.rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'live.rd' until end-of-file never ends: this process still holds the write end 'live.wr'; close 'live.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
}

static size_t taken_twice(void)
{
  int fds[2];
  struct chan fresh, mid = {-1, -1}, live = {-1, -1};
  if (pipe(fds) < 0)
    return 0;
  fresh.rd = fds[0];
  fresh.wr = fds[1];
  chan_adopt(&mid, &fresh);
  chan_adopt(&live, &mid);
  write(live.wr, "x", 1);
  return drain(live.rd);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'live.rd' until end-of-file never ends: this process still holds the write end 'live.wr'; close 'live.wr' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

static size_t taken_closed(void)
{
  int fds[2];
  struct chan fresh, live = {-1, -1};
  size_t n;
  if (pipe(fds) < 0)
    return 0;
  fresh.rd = fds[0];
  fresh.wr = fds[1];
  chan_take(&live, &fresh);
  write(live.wr, "x", 1);
  close(live.wr);
  n = drain(live.rd);
  close(live.rd);
  return n;
}

int main(int argc, char **argv)
{
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "taken"))
    return taken() == 1 ? 0 : 1;
  if (!strcmp(argv[1], "taken-twice"))
    return taken_twice() == 1 ? 0 : 1;
  if (!strcmp(argv[1], "taken-closed"))
    return taken_closed() == 1 ? 0 : 1;
  return 2;
}

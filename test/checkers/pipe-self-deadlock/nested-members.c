/* pipe-self-deadlock with the ends three and four levels below a variable:
 * a struct of channels of pipes (`srv.log.out.fds[1]`, `ch.out.fds[1]`),
 * filled in place by a helper given a pointer to the innermost struct, or
 * copied in from a struct a helper returns by value, whose failure value
 * is set by a nested braced initialiser. The engine follows a place up to
 * four selectors (fields or constant indexes) below its variable; before,
 * it stopped at two, and every end kept deeper was handed off.
 *
 * Each finding reads the pipe to end-of-file while this process still
 * holds the write end; each hangs. The near misses close the write end
 * first and finish.
 *
 * RUN: %check_pipe_tidy %s pipe-self-deadlock %t -- -- -std=gnu11
 * RUN: %run_example %s in-place hang
 * RUN: %run_example %s copied hang
 * RUN: %run_example %s three-deep hang
 * RUN: %run_example %s in-place-closed exit
 * RUN: %run_example %s copied-closed exit
 */
#include <string.h>
#include <unistd.h>

struct pipe_ends {
  int fds[2];
};

struct channel {
  int id;
  struct pipe_ends out;
};

struct server {
  const char *name;
  struct channel log;
  struct channel audit;
};

/* Makes the pipe in the struct it is given. */
static int ends_open(struct pipe_ends *e)
{
  return pipe(e->fds);
}

/* Returns the channel by value, its pipe made. */
static struct channel channel_make(int id)
{
  struct channel c = {id, {{-1, -1}}};
  if (pipe(c.out.fds) < 0)
    c.id = -1;
  return c;
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

static size_t in_place(int close_first)
{
  struct server srv = {"main", {1, {{-1, -1}}}, {2, {{-1, -1}}}};
  size_t n;
  if (ends_open(&srv.log.out) < 0)
    return 0;
  write(srv.log.out.fds[1], "x", 1);
  if (close_first)
    close(srv.log.out.fds[1]);
  n = drain(srv.log.out.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'srv.log.out.fds[0]' until end-of-file never ends: this process still holds the write end 'srv.log.out.fds[1]'; close 'srv.log.out.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(srv.log.out.fds[0]);
  if (!close_first)
    close(srv.log.out.fds[1]);
  return n;
}

static size_t copied(int close_first)
{
  struct server srv = {"main", {1, {{-1, -1}}}, {2, {{-1, -1}}}};
  size_t n;
  srv.audit = channel_make(2);
  if (srv.audit.id < 0)
    return 0;
  write(srv.audit.out.fds[1], "xy", 2);
  if (close_first)
    close(srv.audit.out.fds[1]);
  n = drain(srv.audit.out.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'srv.audit.out.fds[0]' until end-of-file never ends: this process still holds the write end 'srv.audit.out.fds[1]'; close 'srv.audit.out.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:15: note: pipe created here
  close(srv.audit.out.fds[0]);
  if (!close_first)
    close(srv.audit.out.fds[1]);
  return n;
}

static size_t three_deep(void)
{
  struct channel ch = {3, {{-1, -1}}};
  size_t n;
  if (ends_open(&ch.out) < 0)
    return 0;
  write(ch.out.fds[1], "xyz", 3);
  n = drain(ch.out.fds[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: reading 'ch.out.fds[0]' until end-of-file never ends: this process still holds the write end 'ch.out.fds[1]'; close 'ch.out.fds[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(ch.out.fds[0]);
  close(ch.out.fds[1]);
  return n;
}

int main(int argc, char **argv)
{
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "in-place"))
    return in_place(0) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "copied"))
    return copied(0) == 2 ? 0 : 1;
  if (!strcmp(argv[1], "three-deep"))
    return three_deep() == 3 ? 0 : 1;
  if (!strcmp(argv[1], "in-place-closed"))
    return in_place(1) == 1 ? 0 : 1;
  if (!strcmp(argv[1], "copied-closed"))
    return copied(1) == 2 ? 0 : 1;
  return 2;
}

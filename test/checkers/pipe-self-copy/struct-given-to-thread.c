/* pipe-self-copy when the struct holding both pipes is also given to a
 * thread: a loader thread writes the input pipe and closes its write end
 * through a guarded close helper (`if (*fd >= 0) close(*fd);`), reading
 * the job through a `const struct job *` helper that touches no
 * descriptor; the caller meanwhile copies the input pipe with splice().
 * A typo copies it into its own write end. The write end is the loader's
 * to close, but the place still names it when the copy runs, and the
 * kernel refuses a copy of a pipe into itself whoever holds the ends.
 *
 * Three facts make this visible: the guarded close helper has a summary
 * (the test of `*fd` tells its two paths apart); the const-struct helper
 * leaves the job's descriptors where they are; and a copy's ends may be
 * held by a running thread of this process.
 *
 * The finding exits 0 only when splice() fails with EINVAL; the near miss
 * copies into the other pipe and finishes with every byte moved.
 *
 * RUN: %check_pipe_tidy %s pipe-self-copy %t -- -- -std=gnu11 -pthread
 * RUN: %run_example %s typo exit
 * RUN: %run_example %s right exit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct ends {
  int rd, wr;
};

struct job {
  const char *data;
  size_t size;
  struct ends in;  /* loader -> copier */
  struct ends out; /* copier -> reader */
};

static int ends_open(struct ends *e)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  e->rd = fds[0];
  e->wr = fds[1];
  return 0;
}

static void close_fd(int *fd)
{
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

/* The next chunk of the job's data; slow, as a network fetch is. */
static size_t next_chunk(const struct job *j, size_t off, char *buf, size_t cap)
{
  size_t n = j->size - off < cap ? j->size - off : cap;
  usleep(20000);
  memcpy(buf, j->data + off, n);
  return n;
}

static void *loader(void *arg)
{
  struct job *j = arg;
  char buf[8];
  size_t off = 0;
  while (off < j->size) {
    size_t n = next_chunk(j, off, buf, sizeof buf);
    if (write(j->in.wr, buf, n) != (ssize_t)n)
      break;
    off += n;
  }
  close_fd(&j->in.wr);
  return NULL;
}

static ssize_t move_all(int from, int to)
{
  ssize_t total = 0;
  for (;;) {
    ssize_t n = splice(from, NULL, to, NULL, 65536, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? -1 : total;
    total += n;
  }
}

static int run(struct job *j, int typo)
{
  pthread_t t;
  if (ends_open(&j->in) < 0)
    return -1;
  if (ends_open(&j->out) < 0) {
    close_fd(&j->in.rd);
    close_fd(&j->in.wr);
    return -1;
  }
  if (pthread_create(&t, NULL, loader, j) != 0) {
    close_fd(&j->in.rd);
    close_fd(&j->in.wr);
    close_fd(&j->out.rd);
    close_fd(&j->out.wr);
    return -1;
  }
  ssize_t n;
  if (typo)
    n = move_all(j->in.rd, j->in.wr);
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'move_all' copies from 'j->in.rd' into 'j->in.wr', the write end of the same pipe, with splice(): the kernel refuses to copy a pipe into itself (EINVAL), so no data moves; pass the descriptor you meant to copy into [pipe-self-copy]
    // CHECK-MESSAGES: :[[@LINE-30]]:17: note: the copy is made here
    // CHECK-MESSAGES: :[[@LINE-19]]:7: note: pipe created here
  else
    n = move_all(j->in.rd, j->out.wr);
  int err = n < 0 ? errno : 0;
  close_fd(&j->in.rd);
  pthread_join(t, NULL);
  close_fd(&j->out.wr);
  close_fd(&j->out.rd);
  return n < 0 ? -err : (int)n;
}

int main(int argc, char **argv)
{
  static const char text[] = "archive entry contents";
  struct job j = {text, sizeof text - 1, {-1, -1}, {-1, -1}};
  signal(SIGPIPE, SIG_IGN); /* the loader's writes after the copy gave up */
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "typo"))
    return run(&j, 1) == -EINVAL ? 0 : 1;
  if (!strcmp(argv[1], "right"))
    return run(&j, 0) == (int)(sizeof text - 1) ? 0 : 1;
  return 2;
}

// pipe-self-copy in C: a pthread whose start routine copies one descriptor
// of the struct it is given into the other (through a helper), started
// with both ends of one pipe in that struct. Its read waits for data only
// it could write: the thread never ends and pthread_join() never returns
// (hang). The near miss gives the thread two different pipes, and the
// thread closes its target when the source ends; it finishes.
//
// RUN: %check_pipe_tidy %s pipe-self-copy %t
// RUN: %run_example %s same-pipe hang
// RUN: %run_example %s two-pipes exit

#include <pthread.h>
#include <string.h>
#include <unistd.h>

struct relay {
  int from, to;
  long copied;
};

static long pump(int from, int to)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(from, buf, sizeof buf)) > 0) {
    if (write(to, buf, (size_t)n) != n)
      break;
    total += n;
  }
  return total;
}

static void *relay_main(void *arg)
{
  struct relay *r = arg;

  r->copied = pump(r->from, r->to);
  close(r->to);
  return NULL;
}

static int same_pipe(void)
{
  int p[2];
  struct relay r;
  pthread_t t;

  if (pipe(p) < 0)
    return 1;
  r.from = p[0];
  r.to = p[1];
  r.copied = 0;
  if (pthread_create(&t, NULL, relay_main, &r) != 0)
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: thread 't' running 'relay_main' copies what it reads from 'r.from' into 'r.to', the write end of the same pipe: the data goes round and round, and once the pipe is empty its read blocks forever, because this process holds 'r.to'; the thread never ends, and joining it never returns; give the thread the descriptor you meant to copy into [pipe-self-copy]
  // CHECK-MESSAGES: :[[@LINE-29]]:9: note: the copy is made here
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
    return 1;
  pthread_join(t, NULL);
  close(p[0]);
  return 0;
}

static int two_pipes(void)
{
  int a[2], b[2];
  struct relay r;
  pthread_t t;
  char buf[64];
  ssize_t got = 0, n;

  if (pipe(a) < 0)
    return 1;
  if (pipe(b) < 0) {
    close(a[0]);
    close(a[1]);
    return 1;
  }
  r.from = a[0];
  r.to = b[1];
  r.copied = 0;
  if (pthread_create(&t, NULL, relay_main, &r) != 0)
    return 1;
  int ok = write(a[1], "hello", 5) == 5;
  close(a[1]);
  while ((n = read(b[0], buf + got, sizeof buf - (size_t)got)) > 0)
    got += n;
  pthread_join(t, NULL);
  close(a[0]);
  close(b[0]);
  return ok && got == 5 && memcmp(buf, "hello", 5) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";

  if (strcmp(s, "same-pipe") == 0)
    return same_pipe();
  if (strcmp(s, "two-pipes") == 0)
    return two_pipes();
  return 2;
}

// pipe-wait-before-drain where a worker thread's write end is put in its
// struct by a helper that only stores it (`worker_init(&w, p[1], n)` doing
// `w->wr = fd;`, one and two calls deep), the thread is started by one
// helper and joined by another (`worker_start(&w)`, `worker_stop(&w)`).
// A helper that makes, closes or starts nothing still says where it puts
// the descriptor it is given. The writer writes more than the pipe holds
// (64 KiB) before the caller reads, so the join in worker_stop() never
// returns (hang). The near miss reads first and finishes.
//
// RUN: %check_pipe_tidy %s pipe-wait-before-drain %t
// RUN: %run_example %s init hang
// RUN: %run_example %s init-two-deep hang
// RUN: %run_example %s read-first exit

#include <pthread.h>
#include <string.h>
#include <unistd.h>

struct worker {
  int wr;
  int lines;
  pthread_t tid;
};

static void *produce(void *arg)
{
  struct worker *w = arg;
  for (int i = 0; i < w->lines; i++)
    if (write(w->wr, "0123456789abcdef\n", 17) != 17)
      break;
  return NULL;
}

static void worker_init(struct worker *w, int fd, int lines)
{
  w->wr = fd;
  w->lines = lines;
}

static void worker_set_output(struct worker *w, int fd)
{
  w->wr = fd;
}

static void worker_init_two_deep(struct worker *w, int fd, int lines)
{
  w->lines = lines;
  worker_set_output(w, fd);
}

static int worker_start(struct worker *w)
{
  return pthread_create(&w->tid, NULL, produce, w);
}

static void worker_stop(struct worker *w)
{
  pthread_join(w->tid, NULL);
  close(w->wr);
}

static long drain(int fd)
{
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int init(void)
{
  int p[2];
  struct worker w;
  if (pipe(p) < 0)
    return 1;
  worker_init(&w, p[1], 10000);
  if (worker_start(&w) != 0)
    return 1;
  worker_stop(&w);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: worker_stop() waits for thread 'w.tid' running 'produce' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this worker_stop() never returns; read 'p[0]' to end-of-file before the worker_stop(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: thread 'w.tid' running 'produce' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'p[0]' is read only here, after the wait
  long got = drain(p[0]);
  close(p[0]);
  return got == 170000 ? 0 : 1;
}

static int init_two_deep(void)
{
  int p[2];
  struct worker w;
  if (pipe(p) < 0)
    return 1;
  worker_init_two_deep(&w, p[1], 10000);
  if (worker_start(&w) != 0)
    return 1;
  worker_stop(&w);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: worker_stop() waits for thread 'w.tid' running 'produce' before the pipe it writes is read: the writer blocks once the pipe is full (65536 bytes) and never finishes, so this worker_stop() never returns; read 'p[0]' to end-of-file before the worker_stop(), or read it from another thread while the writer runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: thread 'w.tid' running 'produce' starts here; it writes in a loop or an amount we cannot bound
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:14: note: 'p[0]' is read only here, after the wait
  long got = drain(p[0]);
  close(p[0]);
  return got == 170000 ? 0 : 1;
}

// Near miss: the caller reads what the writer writes while it runs (up to
// the amount it expects: the write end is closed only by the stop), then
// stops it.
static int read_first(void)
{
  int p[2];
  struct worker w;
  if (pipe(p) < 0)
    return 1;
  worker_init(&w, p[1], 10000);
  if (worker_start(&w) != 0)
    return 1;
  char buf[4096];
  long got = 0;
  ssize_t n;
  while (got < 170000 && (n = read(p[0], buf, sizeof buf)) > 0)
    got += n;
  worker_stop(&w);
  close(p[0]);
  return got == 170000 ? 0 : 1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "init"))
    return init();
  if (!strcmp(s, "init-two-deep"))
    return init_two_deep();
  if (!strcmp(s, "read-first"))
    return read_first();
  return 2;
}

// Findings of pipe-self-deadlock in C where the pipe comes back from a
// helper in a struct returned by value, made one, two or three calls down;
// the caller then waits for a reply nobody can write. Each finding's
// scenario hangs in the read. The near-misses (a reply written first, the
// write end closed by a helper before reading to the end) terminate and
// stay silent.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-self-deadlock %t
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth3 hang
// RUN: %run_example %s written-first exit
// RUN: %run_example %s closer exit

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  int rd, wr;
  int seq;
} channel_t;

static int make_pipe_cloexec(int *rd, int *wr)
{
  int p[2];
  if (pipe2(p, O_CLOEXEC))
    return -1;
  *rd = p[0];
  *wr = p[1];
  return 0;
}

static int channel_init(channel_t *ch)
{
  ch->seq = 0;
  return make_pipe_cloexec(&ch->rd, &ch->wr);
}

static channel_t open_channel(void)
{
  channel_t ch;
  if (channel_init(&ch) < 0)
    ch.rd = ch.wr = -1;
  return ch;
}

static channel_t open_direct(void)
{
  channel_t ch;
  int p[2];
  ch.seq = 0;
  if (pipe(p) < 0) {
    ch.rd = ch.wr = -1;
    return ch;
  }
  ch.rd = p[0];
  ch.wr = p[1];
  return ch;
}

static void close_writer(channel_t *ch)
{
  close(ch->wr);
  ch->wr = -1;
}

int ping_1(void)
{
  channel_t ch = open_direct();
  char reply[16];
  ssize_t n;

  if (ch.rd < 0)
    return -1;
  n = read(ch.rd, reply, sizeof reply);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'ch.rd' blocks forever: this thread holds the only write end 'ch.wr' and has written nothing to it; {{.*}} [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:18: note: pipe created here
  close(ch.rd);
  close(ch.wr);
  return n > 0 ? 0 : -1;
}

int ping_3(void)
{
  channel_t ch = open_channel();
  char reply[16];
  ssize_t n;

  if (ch.rd < 0)
    return -1;
  n = read(ch.rd, reply, sizeof reply);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: read from 'ch.rd' blocks forever: this thread holds the only write end 'ch.wr' and has written nothing to it; {{.*}} [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-8]]:18: note: pipe created here
  close(ch.rd);
  close(ch.wr);
  return n > 0 ? 0 : -1;
}

int written_first(void)
{
  channel_t ch = open_channel();
  char reply[16];
  ssize_t n;

  if (ch.rd < 0)
    return -1;
  (void)write(ch.wr, "pong", 4);
  n = read(ch.rd, reply, sizeof reply);
  close(ch.rd);
  close(ch.wr);
  return n == 4 ? 0 : -1;
}

int closer(void)
{
  channel_t ch = open_channel();
  char buf[16];
  ssize_t n, total = 0;

  if (ch.rd < 0)
    return -1;
  (void)write(ch.wr, "pong", 4);
  close_writer(&ch);
  while ((n = read(ch.rd, buf, sizeof buf)) > 0)
    total += n;
  close(ch.rd);
  return total == 4 ? 0 : -1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "depth1") == 0)
    return ping_1() == 0 ? 0 : 1;
  if (strcmp(s, "depth3") == 0)
    return ping_3() == 0 ? 0 : 1;
  if (strcmp(s, "written-first") == 0)
    return written_first() == 0 ? 0 : 1;
  if (strcmp(s, "closer") == 0)
    return closer() == 0 ? 0 : 1;
  return 2;
}

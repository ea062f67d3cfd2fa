// reach: a channel made three calls down (open_channel -> channel_init ->
// make_pipe_cloexec) and returned by value; ping() waits for a reply on it
// that nobody else can write.
// CROSSES: function boundary (depth 3: open_channel -> channel_init -> make_pipe_cloexec); return value (struct returned by value)
// EXPECT: pipe-self-deadlock ping ping hang
#include <fcntl.h>
#include <stdio.h>
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

static int ping(void)
{
  channel_t ch = open_channel();
  char reply[16];
  if (ch.rd < 0)
    return -1;
  /* The reply is supposed to come from a responder that was never
     started: nothing was written, and this thread holds the write end. */
  ssize_t n = read(ch.rd, reply, sizeof reply);
  close(ch.rd);
  close(ch.wr);
  return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
  if (argc > 1 && strcmp(argv[1], "ping") == 0)
    return ping() == 0 ? 0 : 1;
  return 2;
}

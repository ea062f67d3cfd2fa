// reach: a request recorder keeps two pipes in a struct tap: the request
// body is queued in 'body', and tap_mirror() duplicates what is queued
// into 'audit' with tee() (the data stays in 'body' for the handler). The
// mirror helper is handed the body pipe's read end and, by a slip, the
// body pipe's own write end through the struct. Linux refuses to tee a
// pipe into itself (EINVAL); mirror_all() takes -1 as "nothing more to
// mirror", and the audit log silently stays empty. The scenario exits 0
// when the handler got the body but the audit log got nothing.
// CROSSES: struct member (both pipes in a struct passed by pointer); function boundary (the tee() loop is in a helper called with the ends)
// EXPECT: pipe-self-copy tap_mirror|mirror_all request exit
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pipe_ends {
  int rd;
  int wr;
};

struct tap {
  struct pipe_ends body;
  struct pipe_ends audit;
  size_t queued;
  size_t mirrored;
};

static int tap_open(struct tap *t)
{
  int b[2], a[2];
  if (pipe2(b, O_CLOEXEC) < 0)
    return -1;
  if (pipe2(a, O_CLOEXEC | O_NONBLOCK) < 0) {
    close(b[0]);
    close(b[1]);
    return -1;
  }
  t->body.rd = b[0];
  t->body.wr = b[1];
  t->audit.rd = a[0];
  t->audit.wr = a[1];
  t->queued = t->mirrored = 0;
  return 0;
}

static void tap_close(struct tap *t)
{
  close(t->body.rd);
  close(t->body.wr);
  close(t->audit.rd);
  close(t->audit.wr);
}

static size_t mirror_all(int from, int to, size_t len)
{
  size_t done = 0;
  while (done < len) {
    ssize_t n = tee(from, to, len - done, SPLICE_F_NONBLOCK);
    if (n <= 0)
      break;   /* EAGAIN or nothing queued: mirror what we have */
    done += (size_t)n;
  }
  return done;
}

static void tap_queue(struct tap *t, const char *data, size_t len)
{
  if (write(t->body.wr, data, len) == (ssize_t)len)
    t->queued += len;
}

static void tap_mirror(struct tap *t)
{
  t->mirrored += mirror_all(t->body.rd, t->body.wr, t->queued - t->mirrored);
}

static size_t drain(int fd, char *buf, size_t cap)
{
  size_t len = 0;
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  while (len < cap) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n <= 0)
      break;
    len += (size_t)n;
  }
  return len;
}

int main(int argc, char **argv)
{
  struct tap t;
  char handled[4096], audited[4096];
  const char *body = "POST /api/orders HTTP/1.1\r\nContent-Length: 27\r\n\r\n"
                     "{\"sku\": \"A-113\", \"qty\": 4}\n";

  if (argc < 2 || strcmp(argv[1], "request"))
    return 2;
  if (tap_open(&t) < 0)
    return 1;
  tap_queue(&t, body, strlen(body));
  tap_mirror(&t);
  size_t h = drain(t.body.rd, handled, sizeof handled);
  size_t a = drain(t.audit.rd, audited, sizeof audited);
  printf("handler got %zu bytes, audit log got %zu (mirrored %zu)\n", h, a,
         t.mirrored);
  tap_close(&t);
  return h == strlen(body) && a == 0 ? 0 : 1;
}

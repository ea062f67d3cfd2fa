// pipe-unclosed-write-end when a helper stores a descriptor over the one
// its caller's struct held, without closing it: a setter (`c->out = fd;`,
// also of a struct whose other members are buffers, `char name[32]`),
// the same two calls down, a helper that moves one struct's descriptor
// into another (`dst->fd = src->fd; src->fd = -1;`), and one given the
// address of the member itself (`set_fd(&c.out, fd)` doing `*slot = fd;`). The write end the
// struct held stays open, and the caller, which replaced it rather than
// closing it, returns without closing it: each call leaks it. The note is
// at the call that overwrote it.
//
// Each leak is counted (main exits 0 only when the number of open
// descriptors grew). Near misses: a setter that closes what it replaces,
// and a swap of two structs' descriptors; both leave the count unchanged.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s setter exit
// RUN: %run_example %s named-setter exit
// RUN: %run_example %s setter-depth-2 exit
// RUN: %run_example %s mover exit
// RUN: %run_example %s slot-setter exit
// RUN: %run_example %s closing-setter exit
// RUN: %run_example %s swapper exit

#include <dirent.h>
#include <string.h>
#include <unistd.h>

struct channel {
  int out; // where messages go
  int seq;
};

static void channel_set_output(struct channel *c, int fd) {
  c->out = fd;
  c->seq = 0;
}

static void channel_redirect(struct channel *c, int fd) {
  channel_set_output(c, fd);
}

static void channel_take(struct channel *dst, struct channel *src) {
  dst->out = src->out;
  src->out = -1;
}

static void set_fd(int *slot, int fd) { *slot = fd; }

// A struct with buffers beside its descriptor: they hold none.
struct named_channel {
  char name[32];
  double rate;
  int out;
};

static void named_set_output(struct named_channel *c, int fd) {
  c->out = fd;
  c->rate = 0;
}

static void channel_set_output_closing(struct channel *c, int fd) {
  if (c->out >= 0)
    close(c->out);
  c->out = fd;
}

static void channel_swap(struct channel *a, struct channel *b) {
  int t = a->out;
  a->out = b->out;
  b->out = t;
}

static int send_line(struct channel *c, const char *s) {
  return write(c->out, s, strlen(s)) < 0 ? -1 : 0;
}

static int open_fds(void) {
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

int setter(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0};
  send_line(&c, "hello\n");
  close(p[0]);
  channel_set_output(&c, log_fd);
  return send_line(&c, "switched\n");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'setter' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'channel_set_output' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

int named_setter(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct named_channel c = {"log", 1.0, p[1]};
  (void)!write(c.out, "hello\n", 6);
  close(p[0]);
  named_set_output(&c, log_fd);
  return write(c.out, "switched\n", 9) < 0 ? -1 : 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'named_setter' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'named_set_output' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

int setter_depth_2(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0};
  send_line(&c, "hello\n");
  close(p[0]);
  channel_redirect(&c, log_fd);
  return send_line(&c, "switched\n");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'setter_depth_2' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'channel_redirect' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

int mover(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0}, next = {log_fd, 0};
  send_line(&c, "hello\n");
  close(p[0]);
  channel_take(&c, &next);
  return send_line(&c, "switched\n");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'mover' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'channel_take' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

int slot_setter(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0};
  send_line(&c, "hello\n");
  close(p[0]);
  set_fd(&c.out, log_fd);
  return send_line(&c, "switched\n");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'slot_setter' leaks the write end 'p[1]' of the pipe when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: 'set_fd' overwrites the write end 'p[1]' here without closing it
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
}

// Near misses.

int closing_setter(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0};
  send_line(&c, "hello\n");
  close(p[0]);
  channel_set_output_closing(&c, log_fd);
  return send_line(&c, "switched\n");
}

int swapper(int log_fd) {
  int p[2];
  if (pipe(p) < 0)
    return -1;
  struct channel c = {p[1], 0}, old = {log_fd, 0};
  send_line(&c, "hello\n");
  close(p[0]);
  channel_swap(&c, &old);
  close(old.out);
  return send_line(&c, "switched\n");
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  int log_fd = dup(2);
  int before = open_fds(), rc = -1;
  if (!strcmp(s, "setter"))
    rc = setter(log_fd);
  else if (!strcmp(s, "named-setter"))
    rc = named_setter(log_fd);
  else if (!strcmp(s, "setter-depth-2"))
    rc = setter_depth_2(log_fd);
  else if (!strcmp(s, "mover"))
    rc = mover(log_fd);
  else if (!strcmp(s, "slot-setter"))
    rc = slot_setter(log_fd);
  else if (!strcmp(s, "closing-setter"))
    rc = closing_setter(log_fd);
  else if (!strcmp(s, "swapper"))
    rc = swapper(log_fd);
  else
    return 2;
  if (rc != 0)
    return 3;
  int after = open_fds();
  if (!strcmp(s, "closing-setter") || !strcmp(s, "swapper"))
    return after == before ? 0 : 1;
  return after > before ? 0 : 1;
}

// A function that stores pipes for its caller (through a pointer
// parameter, directly or by a helper) and, on a failure path, closes both
// ends of one of them itself but leaves another open: the cleanup chain
// jumps to the wrong label, or forgets one pipe. The function has given up
// on the object on that path, so the caller cannot know it must close the
// pipe left behind: it leaks on every failed call. Reported whoever the
// callers are; silent when every caller ends the process on the failure.
// The leak scenarios abort when the failed calls left their descriptors
// open; the near-miss scenarios exit 0.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s wrong-label abort
// RUN: %run_example %s nested-helper abort
// RUN: %run_example %s depth-two abort
// RUN: %run_example %s out-params abort
// RUN: %run_example %s right-label exit
// RUN: %run_example %s handshake exit
// RUN: %run_example %s caller-exits exit

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_descriptors(void) {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

static int ready(const char *what) { return strcmp(what, "fail") ? 0 : -1; }

// Arrays in a caller's struct, made directly.
struct streams {
  int pid;
  int out[2];
  int err[2];
};

int streams_open(struct streams *s, const char *tool) {
  if (pipe(s->out) < 0)
    goto fail;
  if (pipe(s->err) < 0)
    goto fail_out;
  if (ready(tool) < 0)
    goto fail_out; // should be fail_err
  return 0;

fail_err:
  close(s->err[0]);
  close(s->err[1]);
fail_out:
  close(s->out[0]);
  close(s->out[1]);
fail:
  return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'streams_open' returns -1 here after closing 's->out[0]' and 's->out[1]', but leaves the write end 's->err[1]' (and the read end 's->err[0]') of the pipe it stores through 's' open: a caller that gets this failure does not know to close them, so the pipe leaks; close them on this path as well [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-15]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-14]]:7: note: taking the true branch
}

// Nested struct members, filled by a helper.
struct pipe_pair {
  int rd;
  int wr;
};

struct proc {
  int pid;
  struct pipe_pair out;
  struct pipe_pair err;
};

static int open_pair(struct pipe_pair *pp) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return -1;
  pp->rd = fds[0];
  pp->wr = fds[1];
  return 0;
}

int proc_open(struct proc *p, const char *tool) {
  if (open_pair(&p->out) < 0)
    return -1;
  if (open_pair(&p->err) < 0) {
    close(p->out.rd);
    close(p->out.wr);
    return -1;
  }
  if (ready(tool) < 0) {
    close(p->out.rd);
    close(p->out.wr);
    return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'proc_open' returns -1 here after closing 'p->out.rd' and 'p->out.wr', but leaves the write end 'p->err.wr' (and the read end 'p->err.rd') of the pipe it stores through 'p' open: a caller that gets this failure does not know to close them, so the pipe leaks; close them on this path as well [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  }
  return 0;
}

// The same two helpers deep.
static int open_pair_logged(struct pipe_pair *pp) {
  return open_pair(pp);
}

int proc_open_deep(struct proc *p, const char *tool) {
  if (open_pair_logged(&p->out) < 0)
    return -1;
  if (open_pair_logged(&p->err) < 0)
    goto fail_out;
  if (ready(tool) < 0)
    goto fail_out;
  return 0;
fail_out:
  close(p->out.rd);
  close(p->out.wr);
  return -1;
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'proc_open_deep' returns -1 here after closing 'p->out.rd' and 'p->out.wr', but leaves the write end 'p->err.wr' (and the read end 'p->err.rd') of the pipe it stores through 'p' open: a caller that gets this failure does not know to close them, so the pipe leaks; close them on this path as well [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-10]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-9]]:7: note: taking the true branch
}

// Scalar out-parameters.
int open_two(int *in_rd, int *in_wr, int *out_rd, int *out_wr,
             const char *tool) {
  int a[2], b[2];
  if (pipe(a) < 0)
    return -1;
  *in_rd = a[0];
  *in_wr = a[1];
  if (pipe(b) < 0) {
    close(a[0]);
    close(a[1]);
    return -1;
  }
  *out_rd = b[0];
  *out_wr = b[1];
  if (ready(tool) < 0) {
    close(*in_rd);
    close(*in_wr);
    return -2;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'open_two' returns -2 here after closing '*in_rd' and '*in_wr', but leaves the write end '*out_wr' (and the read end '*out_rd') of the pipe it stores through 'out_wr' open: a caller that gets this failure does not know to close them, so the pipe leaks; close them on this path as well [pipe-unclosed-write-end]
// CHECK-MESSAGES: :[[@LINE-12]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: taking the true branch
  }
  return 0;
}

// Near-miss: the labels are right.
int streams_open_right(struct streams *s, const char *tool) {
  if (pipe(s->out) < 0)
    goto fail;
  if (pipe(s->err) < 0)
    goto fail_out;
  if (ready(tool) < 0)
    goto fail_err;
  return 0;

fail_err:
  close(s->err[0]);
  close(s->err[1]);
fail_out:
  close(s->out[0]);
  close(s->out[1]);
fail:
  return -1;
}

// Near-miss: a handshake pipe closed on every path; the data pipe is the
// caller's on success, and closed on failure.
int with_handshake(struct streams *s, const char *tool) {
  if (pipe(s->err) < 0)
    return -1;
  if (pipe(s->out) < 0) {
    close(s->err[0]);
    close(s->err[1]);
    return -1;
  }
  close(s->err[0]);
  close(s->err[1]);
  if (ready(tool) < 0) {
    close(s->out[0]);
    close(s->out[1]);
    return -1;
  }
  return 0;
}

// Near-miss: the same wrong label, but the only caller ends the process
// on the failure (status 0 here, so that the scenario can show it ends).
static int streams_open_fatal(struct streams *s, const char *tool) {
  if (pipe(s->out) < 0)
    goto fail;
  if (pipe(s->err) < 0)
    goto fail_out;
  if (ready(tool) < 0)
    goto fail_out;
  return 0;
fail_out:
  close(s->out[0]);
  close(s->out[1]);
fail:
  return -1;
}

static void must_open(struct streams *s, const char *tool) {
  if (streams_open_fatal(s, tool) < 0)
    _exit(0);
}

static void close_streams(struct streams *s) {
  close(s->out[0]);
  close(s->out[1]);
  close(s->err[0]);
  close(s->err[1]);
}

static int fails_leak(int (*attempt)(const char *), int per_call) {
  int before = open_descriptors();
  for (int i = 0; i < 3; i++)
    if (attempt("fail") == 0)
      return 1;
  if (open_descriptors() == before + 3 * per_call)
    abort();
  return 1;
}

static int try_streams(const char *t) {
  struct streams s;
  return streams_open(&s, t);
}
static int try_proc(const char *t) {
  struct proc p;
  return proc_open(&p, t);
}
static int try_deep(const char *t) {
  struct proc p;
  return proc_open_deep(&p, t);
}
static int try_two(const char *t) {
  int a, b, c, d;
  return open_two(&a, &b, &c, &d, t);
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  int before = open_descriptors();
  struct streams st;
  if (!strcmp(s, "wrong-label"))
    return fails_leak(try_streams, 2);
  if (!strcmp(s, "nested-helper"))
    return fails_leak(try_proc, 2);
  if (!strcmp(s, "depth-two"))
    return fails_leak(try_deep, 2);
  if (!strcmp(s, "out-params"))
    return fails_leak(try_two, 2);
  if (!strcmp(s, "right-label")) {
    if (streams_open_right(&st, "fail") == 0)
      return 1;
    if (streams_open_right(&st, "ok") != 0)
      return 1;
    close_streams(&st);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "handshake")) {
    if (with_handshake(&st, "fail") == 0)
      return 1;
    if (with_handshake(&st, "ok") != 0)
      return 1;
    close(st.out[0]);
    close(st.out[1]);
    return open_descriptors() == before ? 0 : 1;
  }
  if (!strcmp(s, "caller-exits")) {
    must_open(&st, "fail");
    return 1;
  }
  return 2;
}

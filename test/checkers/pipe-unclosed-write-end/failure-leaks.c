// pipe-unclosed-write-end for a function that stores a pipe through a
// pointer parameter and then returns a failure without closing it: its
// second pipe() fails (the descriptor limit leaves room for one pipe), the
// callers see the failure and drop the object, and the first pipe leaks.
// Shapes: members of a struct set from a local pipe with the caller two
// levels up (`link_open()` <- `link_start()` <- `serve_once()`); four
// out-parameters with the result kept in a variable (`open_two()`). Each
// positive scenario counts the process's descriptors around the call and
// exits 0 when they leaked. The near-misses terminate with no descriptor
// leaked and stay silent: the helper closes the first pipe on failure; the
// caller closes what the helper stored; the caller passes the object on.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s struct-depth2 exit
// RUN: %run_example %s outparams exit
// RUN: %run_example %s helper-closes exit
// RUN: %run_example %s caller-closes exit
// RUN: %run_example %s passed-on exit

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int open_fds(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

/* Room for exactly one more pipe. */
static void room_for_one_pipe(void)
{
  int maxfd = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      maxfd = fd;
  struct rlimit rl = { (rlim_t)maxfd + 3, (rlim_t)maxfd + 3 };
  setrlimit(RLIMIT_NOFILE, &rl);
}

struct link {
  int ctl_rd;
  int ctl_wr;
  int data[2];
};

static int link_open(struct link *l)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  l->ctl_rd = p[0];
  l->ctl_wr = p[1];
  if (pipe(l->data) < 0)
    // CHECK-MESSAGES: :[[@LINE+2]]:5: warning: write end 'l->ctl_wr' (and the read end 'l->ctl_rd') of the pipe that 'link_open' stores through its parameter 'l' are still open when 'link_open' returns -1 here; its callers take that result as a failure and drop 'l' without closing them, so the pipe leaks; close them before returning the failure [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    return -1;
  return 0;
}

static int link_start(struct link *l)
{
  // CHECK-MESSAGES: :[[@LINE+1]]:7: note: the caller gets the failure here
  if (link_open(l) != 0)
    return -1;
  return 0;
}

static int serve_once(void)
{
  struct link l;
  if (link_start(&l) < 0)
    return -1;
  write(l.ctl_wr, "x", 1);
  close(l.ctl_rd);
  close(l.ctl_wr);
  close(l.data[0]);
  close(l.data[1]);
  return 0;
}

static int open_two(int *a_rd, int *a_wr, int *b_rd, int *b_wr)
{
  int p[2], q[2];
  if (pipe(p) < 0)
    return -1;
  *a_rd = p[0];
  *a_wr = p[1];
  if (pipe(q) < 0)
    // CHECK-MESSAGES: :[[@LINE+2]]:5: warning: write end '*a_wr' (and the read end '*a_rd') of the pipe that 'open_two' stores through its parameter 'a_wr' are still open when 'open_two' returns -1 here; {{.*}}
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
    return -1;
  *b_rd = q[0];
  *b_wr = q[1];
  return 0;
}

static int relay_setup(void)
{
  int ar, aw, br, bw;
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: the caller gets the failure here
  int rc = open_two(&ar, &aw, &br, &bw);
  if (rc < 0) {
    fprintf(stderr, "relay_setup: no pipes\n");
    return -1;
  }
  close(ar);
  close(aw);
  close(br);
  close(bw);
  return 0;
}

/* Near-miss: the helper closes the first pipe when the second fails. */
static int link_open_closing(struct link *l)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  l->ctl_rd = p[0];
  l->ctl_wr = p[1];
  if (pipe(l->data) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  return 0;
}

static int helper_closes(void)
{
  struct link l;
  if (link_open_closing(&l) < 0)
    return -1;
  close(l.ctl_rd);
  close(l.ctl_wr);
  close(l.data[0]);
  close(l.data[1]);
  return 0;
}

/* Near-miss: the caller marks the places and closes what was stored. */
static int link_open_marked(struct link *l)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  l->ctl_rd = p[0];
  l->ctl_wr = p[1];
  if (pipe(l->data) < 0)
    return -1;
  return 0;
}

static int caller_closes(void)
{
  struct link l;
  l.ctl_rd = l.ctl_wr = -1;
  if (link_open_marked(&l) < 0) {
    if (l.ctl_wr >= 0) {
      close(l.ctl_rd);
      close(l.ctl_wr);
    }
    return -1;
  }
  close(l.ctl_rd);
  close(l.ctl_wr);
  close(l.data[0]);
  close(l.data[1]);
  return 0;
}

/* Near-miss: on failure the object goes to a function that cleans it up. */
static int link_open_handed(struct link *l)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  l->ctl_rd = p[0];
  l->ctl_wr = p[1];
  l->data[0] = l->data[1] = -1;
  if (pipe(l->data) < 0)
    return -1;
  return 0;
}

static void link_cleanup(struct link *l)
{
  if (l->ctl_wr >= 0) {
    close(l->ctl_rd);
    close(l->ctl_wr);
  }
}

static int passed_on(void)
{
  struct link l;
  l.ctl_rd = l.ctl_wr = -1;
  if (link_open_handed(&l) < 0) {
    link_cleanup(&l);
    return -1;
  }
  link_cleanup(&l);
  close(l.data[0]);
  close(l.data[1]);
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_fds();
  room_for_one_pipe();
  /* The results are not tested here: the leak must outlive the call. */
  if (strcmp(s, "struct-depth2") == 0)
    serve_once();
  else if (strcmp(s, "outparams") == 0)
    relay_setup();
  else if (strcmp(s, "helper-closes") == 0)
    helper_closes();
  else if (strcmp(s, "caller-closes") == 0)
    caller_closes();
  else if (strcmp(s, "passed-on") == 0)
    passed_on();
  else
    return 2;
  int after = open_fds();
  printf("%s: descriptors %d -> %d\n", s, before, after);
  /* Positives exit 0 when the failure leaked descriptors, near-misses
   * when it did not. */
  int leaked = after > before;
  if (strcmp(s, "struct-depth2") == 0 || strcmp(s, "outparams") == 0)
    return leaked ? 0 : 1;
  return leaked ? 1 : 0;
}

// A socket pair made under two nested tests of one options word (only when
// a channel is asked for and the job is not traced), and one of its ends
// handed off after a retry loop under the outer test again. The paths that
// did not make the pair are "no channel" and "channel, but traced": joined,
// they keep no fact about the channel bit. That state remembers nothing
// the state that made the pair disagrees with, and it used to be joined
// with it at the loop head (whose states differ also by a struct whose
// address escaped on some paths). The end handed off under the second test
// then reached the return as if it could still be open on its false branch.
// States that made different ends are now kept apart when they remember
// different facts at all, not only facts with different truths.
//
// The parent really leaks 'ch[1]' (it never closes it) and nothing else:
// the report names that end alone. The program runs the function in all
// three ways and exits 0 only when exactly one descriptor is left open.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s leak exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOB_CHANNEL 0x1
#define JOB_TRACED 0x2
#define JOB_QUIET 0x4

struct job_opts {
  int bits;
};
struct job_loop {
  void *chan;
  int watched;
};

static int handed[8];
static int nhanded;
static void *keep(int fd)
{
  if (nhanded < 8)
    handed[nhanded++] = fd;
  return handed;
}
static void note_watch(int fd, struct job_loop *lp)
{
  lp->watched += fd >= 0;
}
/* Called through pointers: bodies the check does not see. */
static void *(*volatile channel_open)(int) = keep;
static void (*volatile watch)(int, struct job_loop *) = note_watch;
static int tty_fd = 0;

int run_job(const struct job_opts *o, int *status)
{
  int sv[2], ch[2] = {-1, -1};
  struct job_loop lp = {0};
  pid_t pid;

  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
    abort();
  if (o->bits & JOB_CHANNEL) {
    if (!(o->bits & JOB_TRACED)) {
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, ch) == -1)
        abort();
    }
  }
  if (tty_fd != -1) {
    if (!(o->bits & JOB_QUIET))
      watch(tty_fd, &lp);
    watch(tty_fd, &lp);
  }
  pid = fork();
  switch (pid) {
  case -1:
    abort();
  case 0:
    close(sv[0]);
    _exit(0);
  }
  /* Retry until the peer has it. */
  while (send(sv[0], status, sizeof(*status), 0) == -1)
    continue;
  close(sv[1]);
  if (o->bits & JOB_CHANNEL)
    lp.chan = channel_open(ch[0]); /* a hand-off */
  close(sv[0]);
  waitpid(pid, NULL, 0);
  return 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'run_job' leaks the end 'ch[1]' of the socket pair when it returns here; each call that takes this path leaks it; close it on this path [pipe-unclosed-write-end]
  // CHECK-MESSAGES: :[[@LINE-27]]:11: note: socket pair created here
  // CHECK-MESSAGES: :[[@LINE-29]]:9: note: taking the true branch
}

static int open_fds(void)
{
  int fd, n = 0;

  for (fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

int main(int argc, char **argv)
{
  struct job_opts none = {0}, traced = {JOB_CHANNEL | JOB_TRACED},
                  channel = {JOB_CHANNEL};
  int status = 0, before = open_fds(), i;

  if (argc < 2 || strcmp(argv[1], "leak") != 0)
    return 2;
  run_job(&none, &status);
  run_job(&traced, &status);
  if (open_fds() != before)
    return 1; /* nothing is made on these paths */
  run_job(&channel, &status);
  for (i = 0; i < nhanded; i++)
    close(handed[i]); /* what channel_open() was given: 'ch[0]' */
  return open_fds() != before + 1; /* 'ch[1]', and only it, leaked */
}

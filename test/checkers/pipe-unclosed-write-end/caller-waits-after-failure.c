// pipe-unclosed-write-end where the caller, after the failing call,
// waits for its children before it ends: the write end leaked on the
// failure return keeps the child reading the pipe from ever seeing
// end-of-file, so the wait never returns, and the leak is reported (with
// the hang words: the reader is the child a start helper forked, through
// a struct). The wait may be in the caller or in a helper it calls. The
// near miss ends the process right after the failure: silent.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s reap hang
// RUN: %run_example %s reap-helper hang
// RUN: %run_example %s exits exit

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct sender {
  pid_t pid;
  int wfd;
};

static void count_input(int rfd) {
  char buf[512];
  long total = 0;
  ssize_t n;
  while ((n = read(rfd, buf, sizeof buf)) > 0)
    total += n;
  _exit(total > 0 ? 0 : 1);
}

static int sender_open(struct sender *s) {
  int p[2];
  if (pipe(p) != 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[1]);
    count_input(p[0]);
  }
  close(p[0]);
  s->pid = pid;
  s->wfd = p[1];
  return 0;
}

static int send_all(const char **items, int n) {
  struct sender s;
  if (sender_open(&s) != 0)
    return -1;
  for (int i = 0; i < n; i++) {
    if (items[i][0] == '\0')
      return -1;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: write end 's.wfd' of the pipe is still open when 'send_all' returns here; readers of the pipe never see end-of-file and block forever; close it on this path [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: taking the true branch
    dprintf(s.wfd, "%s\n", items[i]);
  }
  close(s.wfd);
  int status;
  waitpid(s.pid, &status, 0);
  return 0;
}

// The same leak on a failure return, but its only caller ends the process
// right after that failure: harmless, not reported.
static int send_first(const char *item) {
  struct sender s;
  if (sender_open(&s) != 0)
    return -1;
  if (item[0] == '\0')
    return -1;
  dprintf(s.wfd, "%s\n", item);
  close(s.wfd);
  waitpid(s.pid, NULL, 0);
  return 0;
}

static void reap_children(void) {
  while (wait(NULL) > 0 || errno == EINTR)
    ;
}

int reap(void) {
  const char *items[] = {"a", "", "c"};
  int rc = send_all(items, 3);
  while (wait(NULL) > 0 || errno == EINTR)
    ;
  return rc == 0 ? 0 : 1;
}

int reap_helper(void) {
  const char *items[] = {"a", "", "c"};
  int rc = send_all(items, 3);
  reap_children();
  return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "reap"))
    return reap();
  if (!strcmp(s, "reap-helper"))
    return reap_helper();
  if (!strcmp(s, "exits")) {
    if (send_first("") != 0)
      _exit(0);
    return 1;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

// pipe-unclosed-write-end: a loop that makes its pipe anew on every turn
// and, on one path through the turn, goes round again without closing the
// ends (a `continue` that skips the close; a `goto` to the end of a
// server's endless accept loop). The next pipe() overwrites the only
// places that held the ends, so they can never be closed: each such turn
// leaks two descriptors, and a loop that never returns has no exit where
// the leak would show. Reported at the pipe() that is made again, with the
// branch of the previous turn. The leak scenarios run 8 turns that take
// the path and abort when exactly 16 more descriptors are open; the near
// misses close the ends first and finish.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t
// RUN: %run_example %s continue-leak abort
// RUN: %run_example %s serve-leak abort
// RUN: %run_example %s continue-closed exit

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int open_descriptors(void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) != -1)
      n++;
  return n;
}

static int nothing_to_do(int i) { return i >= 0; }

/* apt's dpkg loop: a pipe for each step, and steps with nothing to do skip
 * ahead with `continue`. */
int run_steps(int n)
{
  for (int i = 0; i < n; i++) {
    int fd[2];
    if (pipe(fd) != 0)
      return -1;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'run_steps' makes this pipe again while the write end 'fd[1]' and the read end 'fd[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (nothing_to_do(i))
      continue;
    close(fd[1]);
    close(fd[0]);
  }
  return 0;
}

static int client_kind(int turn) { return turn % 3 == 2 ? 2 : 1; }

/* dropbear's accept loop: a failed hand-over jumps to the common end of the
 * turn, past the close. */
void serve(int clients)
{
  for (int turn = 0; turn < clients; turn++) {
    int p[2];
    int kind = client_kind(turn);
    if (pipe(p) < 0)
      return;
    // CHECK-MESSAGES: :[[@LINE-2]]:9: warning: 'serve' makes this pipe again while the write end 'p[1]' and the read end 'p[0]' it made the last time round the loop are still open: nothing holds them any more, so each turn that takes this path leaks them; close them before the loop goes round again [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+1]]:9: note: taking the true branch
    if (kind != 2)
      goto next;
    close(p[0]);
    close(p[1]);
  next:;
  }
}

/* Near miss: the same loop, closing the ends before it skips ahead. */
int run_steps_closed(int n)
{
  for (int i = 0; i < n; i++) {
    int fd[2];
    if (pipe(fd) != 0)
      return -1;
    if (nothing_to_do(i)) {
      close(fd[1]);
      close(fd[0]);
      continue;
    }
    close(fd[1]);
    close(fd[0]);
  }
  return 0;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  int before = open_descriptors();

  if (strcmp(s, "continue-leak") == 0) {
    run_steps(8);
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "serve-leak") == 0) {
    serve(12); /* 8 of the 12 turns leak */
    if (open_descriptors() - before == 16)
      abort();
    return 0;
  }
  if (strcmp(s, "continue-closed") == 0) {
    run_steps_closed(8);
    return open_descriptors() != before;
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

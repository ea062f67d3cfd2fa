// pipe-leaked-writer: a reader that gives up on a child's output (a bad
// header) and waits for the child before it closes the read end. The child
// runs another program with the pipe as its standard output (any amount)
// or writes more than the pipe holds: blocked on the full pipe, it never
// exits, and the wait never returns. On that path nothing reads the pipe
// again, so the fix is to close the read end first (the child then fails
// with EPIPE), not to read it: the warning is pipe-leaked-writer's, also
// when the function reads the pipe to the end on its other path (where
// pipe-wait-before-drain has nothing to say). Shapes: fork + exec in the
// function; the child started by helpers (pid through an out-parameter)
// and waited for by a helper given the struct, which waits before it
// closes (reported there, at its wait). The near misses close the
// read end before the wait, or (poll-helper) have a helper read it to the
// end through a copy (`struct pollfd pfd[] = {{s->fd, POLLIN}}`) before it
// waits, and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-leaked-writer,pipe-wait-before-drain %t
// RUN: %run_example %s exec hang
// RUN: %run_example %s helpers hang
// RUN: %run_example %s exec-closes-first exit
// RUN: %run_example %s helpers-close-first exit
// RUN: %run_example %s poll-helper exit

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Prints a bad header, then about 600 KB. */
static const char producer[] = "echo BAD!; seq 1 100000";

static long read_records(int fd)
{
  char buf[4096];
  long n = 0;
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0)
    n += r;
  return n;
}

static long run_exec(int close_first)
{
  int p[2], status;
  char hdr[4];
  if (pipe(p) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    execl("/bin/sh", "sh", "-c", producer, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  if (read(p[0], hdr, 4) != 4 || memcmp(hdr, "HDR!", 4) != 0) {
    if (close_first) {
      close(p[0]);
      waitpid(pid, &status, 0);
      return -1;
    }
    waitpid(pid, &status, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: child process 'pid' is waited for here while the read end 'p[0]' is still open and no longer read, though not at end-of-file: the writer may be blocked on the full pipe and never finish, so this hangs; close 'p[0]' first so that the writer fails with EPIPE, then wait [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-22]]:15: note: child process 'pid' starts here; it makes the write end its standard output or error, where it may write any amount
    // CHECK-MESSAGES: :[[@LINE-25]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-9]]:9: note: taking the false branch
    close(p[0]);
    return -1;
  }
  long n = read_records(p[0]);
  close(p[0]);
  waitpid(pid, &status, 0);
  return n;
}

struct source {
  pid_t pid;
  int fd;
};

static int spawn_producer(int wr, int rd, pid_t *pid_out)
{
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    close(rd);
    dup2(wr, 1);
    close(wr);
    execl("/bin/sh", "sh", "-c", producer, (char *)NULL);
    _exit(127);
  }
  *pid_out = pid;
  return 0;
}

static int source_open(struct source *s)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  if (spawn_producer(p[1], p[0], &s->pid) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  s->fd = p[0];
  return 0;
}

static int source_stop(struct source *s)
{
  int status = 0;
  while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'source_stop' waits for child process 's.pid' here, before it closes the read end 's->fd': on a path where the pipe is no longer read, the child may be blocked on the full pipe and never finish, so 'source_stop' never returns; close 's->fd' before the wait, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: 's->fd' is closed only here, after the wait
  // CHECK-MESSAGES: :[[@LINE+56]]:7: note: child process 's.pid' starts here; it makes the write end its standard output or error, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE+55]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+60]]:7: note: 'source_stop' is called here while child process 's.pid' may still be writing and 's.fd' is no longer read, though not at end-of-file
  // CHECK-MESSAGES: :[[@LINE+56]]:9: note: taking the false branch
    ;
  close(s->fd);
  return status;
}

static int source_stop_closing_first(struct source *s)
{
  int status = 0;
  close(s->fd);
  while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

/* Reads the output to its end through a copy of the descriptor, then
 * waits. */
static long source_drain_and_stop(struct source *s)
{
  struct pollfd pfd[1] = {{s->fd, POLLIN, 0}};
  char buf[4096];
  long total = 0;
  int open_fds = 1, status;
  while (open_fds > 0 && poll(pfd, 1, -1) > 0) {
    for (int i = 0; i < 1; i++) {
      if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP)))
        continue;
      ssize_t n = read(pfd[i].fd, buf, sizeof buf);
      if (n > 0) {
        total += n;
      } else {
        close(pfd[i].fd);
        pfd[i].fd = -1;
        open_fds--;
      }
    }
  }
  waitpid(s->pid, &status, 0);
  return total;
}

static long run_poll_helper(void)
{
  struct source s;
  if (source_open(&s) < 0)
    return -1;
  return source_drain_and_stop(&s);
}

static long run_helpers(int close_first)
{
  struct source s;
  char hdr[4];
  if (source_open(&s) < 0)
    return -1;
  if (read(s.fd, hdr, 4) != 4 || memcmp(hdr, "HDR!", 4) != 0) {
    if (close_first)
      source_stop_closing_first(&s);
    else
      source_stop(&s);
    return -1;
  }
  long n = read_records(s.fd);
  source_stop(&s);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  signal(SIGPIPE, SIG_IGN);
  if (!strcmp(s, "exec"))
    return run_exec(0) == -1 ? 0 : 1;
  if (!strcmp(s, "helpers"))
    return run_helpers(0) == -1 ? 0 : 1;
  if (!strcmp(s, "exec-closes-first"))
    return run_exec(1) == -1 ? 0 : 1;
  if (!strcmp(s, "helpers-close-first"))
    return run_helpers(1) == -1 ? 0 : 1;
  if (!strcmp(s, "poll-helper"))
    return run_poll_helper() > 65536 ? 0 : 1;
  return 2;
}

// Cases from the first review of pipe-self-deadlock: seven that were false
// positives and one that was missed. Each near-miss below ran to completion
// when it was reported; the last one really hangs.
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s all-ok exit
// RUN: %run_example %s dup-kept hang
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char big[100000];

/* Written through a dup() of the write end. */
int via_dup(void) {
  int fds[2]; char c;
  if (pipe(fds)) return -1;
  int w = dup(fds[1]);
  write(w, "x", 1);
  read(fds[0], &c, 1);
  close(w); close(fds[0]); close(fds[1]);
  return 0;
}

/* A socket pair buffers more than a pipe. */
int socket_big(void) {
  int sv[2]; char c;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return -1;
  write(sv[1], big, sizeof big);
  read(sv[0], &c, 1);
  close(sv[0]); close(sv[1]);
  return 0;
}

/* F_SETPIPE_SZ made the pipe larger than the write. */
int resized(void) {
  int fds[2]; char c;
  if (pipe(fds)) return -1;
  if (fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) < 0) { close(fds[0]); close(fds[1]); return -1; }
  write(fds[1], big, sizeof big);
  read(fds[0], &c, 1);
  close(fds[0]); close(fds[1]);
  return 0;
}

/* Reads exactly what was written, then stops. */
int read_exactly(const char *msg, int len) {
  int fds[2]; char buf[64]; int got = 0;
  if (pipe(fds)) return -1;
  write(fds[1], msg, len);
  while (got < len) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    got += n;
  }
  close(fds[0]); close(fds[1]);
  return got;
}

/* Reads up to a delimiter. */
int read_line(char *line, int size) {
  int fds[2]; char c; int len = 0;
  if (pipe(fds)) return -1;
  write(fds[1], "ok\n", 3);
  while (len + 1 < size && read(fds[0], &c, 1) == 1 && c != '\n')
    line[len++] = c;
  line[len] = '\0';
  close(fds[0]); close(fds[1]);
  return len;
}

/* MSG_DONTWAIT: the receive does not wait. */
int dont_wait(void) {
  int sv[2]; char c;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return -1;
  recv(sv[0], &c, 1, MSG_DONTWAIT);
  close(sv[0]); close(sv[1]);
  return 0;
}

/* The spawned child holds (and writes to) the write end. */
int spawned_writer(void) {
  int fds[2]; char buf[64]; pid_t pid; int rc;
  posix_spawn_file_actions_t fa;
  char *argv[] = {"echo", "hello", 0};
  if (pipe(fds)) return -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  rc = posix_spawnp(&pid, "echo", &fa, 0, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc == 0) {
    read(fds[0], buf, sizeof buf);
    waitpid(pid, 0, 0);
  }
  close(fds[0]); close(fds[1]);
  return 0;
}

/* Missed before: the original is closed but a dup() of it is still open. */
int dup_kept(void) {
  int fds[2]; char c;
  if (pipe(fds)) return -1;
  int w = dup(fds[1]);
  close(fds[1]);
  read(fds[0], &c, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: read from 'fds[0]' blocks forever: this thread holds the only write end 'w' and has written nothing to it; write from another thread or process first, or do not read here [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(w); close(fds[0]);
  return 0;
}

int main(int argc, char **argv) {
  char line[16];
  if (argc < 2) return 2;
  if (!strcmp(argv[1], "all-ok"))
    return via_dup() || socket_big() || read_exactly("abc", 3) != 3 ||
           read_line(line, sizeof line) != 2 || dont_wait() ||
           spawned_writer() || (resized(), 0);
  if (!strcmp(argv[1], "dup-kept"))
    return dup_kept();
  return 2;
}

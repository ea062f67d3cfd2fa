/* pipe-wait-before-drain when the output is read after the wait by a
 * helper that reads a given amount, not to end-of-file: through an
 * fdopen() stream it freads and fcloses (`read_image(fd, ...)`), or with
 * one read() call, one or two helpers down. The helper's summary says it
 * reads the descriptor, so the wait is a wait before the drain (the
 * program does consume the pipe), not a reader that gave up: before, the
 * read was not seen and pipe-leaked-writer warned instead, telling the
 * user to close a pipe the program goes on to read.
 *
 * Each finding waits for a child that writes more than the pipe holds
 * before reading its output; each hangs. The near miss reads first.
 *
 * RUN: %check_pipe_tidy %s pipe-wait-before-drain,pipe-leaked-writer %t -- -- -std=gnu11
 * RUN: %run_example %s stream hang
 * RUN: %run_example %s nested hang
 * RUN: %run_example %s read-first exit
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define IMAGE_BYTES 200000

/* Starts `head -c IMAGE_BYTES /dev/zero` with its output on a pipe. */
static pid_t start_decoder(int *out)
{
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("head", "head", "-c", "200000", "/dev/zero", (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  *out = fds[0];
  return pid;
}

/* Reads the image through a stdio stream, which it closes. */
static int read_image(int fd, char *buf)
{
  FILE *in = fdopen(fd, "rb");
  if (!in)
    return -1;
  size_t got = fread(buf, 1, IMAGE_BYTES, in);
  fclose(in);
  return got == IMAGE_BYTES ? 0 : -1;
}

/* One read() of the header. */
static ssize_t read_header(int fd, char *buf, size_t n)
{
  return read(fd, buf, n);
}

/* The header, then the rest through read_image(). */
static int read_all_parts(int fd, char *buf)
{
  if (read_header(fd, buf, 16) != 16)
    return -1;
  return read_image(fd, buf + 16);
}

static int stream(void)
{
  static char buf[IMAGE_BYTES];
  int out, st;
  pid_t pid = start_decoder(&out);
  if (pid < 0)
    return 1;
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: child process 'pid' starts here; it makes 'fds[1] in start_decoder()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'out' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'out' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
  return read_image(out, buf);
}

static int nested(void)
{
  static char buf[IMAGE_BYTES + 16];
  int out, st;
  pid_t pid = start_decoder(&out);
  if (pid < 0)
    return 1;
  waitpid(pid, &st, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: child process 'pid' starts here; it makes 'fds[1] in start_decoder()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+2]]:10: note: 'out' is read only here, after the wait
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: if the rest of the output is not wanted, closing 'out' before this wait also ends it: the writer then fails with EPIPE [pipe-leaked-writer]
  return read_all_parts(out, buf);
}

static int read_first(void)
{
  static char buf[IMAGE_BYTES];
  int out, st;
  pid_t pid = start_decoder(&out);
  if (pid < 0)
    return 1;
  int rc = read_image(out, buf);
  waitpid(pid, &st, 0);
  return rc;
}

int main(int argc, char **argv)
{
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "stream"))
    return stream();
  if (!strcmp(argv[1], "nested"))
    return nested();
  if (!strcmp(argv[1], "read-first"))
    return read_first();
  return 2;
}

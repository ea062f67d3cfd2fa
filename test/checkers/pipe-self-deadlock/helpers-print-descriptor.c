// A helper that prints the descriptor's number in its error message
// (`snprintf(msg, n, "Unable to write to fd %d", fd)`, `fprintf(stderr,
// "... %d", fd)`, one or two calls down) only reads the number: the write
// end stays this function's, and the read of the pipe to end-of-file while
// it is still open is reported. Before, such a helper took the descriptor
// away and every check went silent after the call. A helper that formats
// the number for a program it starts still takes it (the program may use
// it), and nothing is said after it.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s snprintf-helper hang
// RUN: %run_example %s fprintf-two-down hang
// RUN: %run_example %s closed-first exit
// RUN: %run_example %s told-program exit

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* glib's shape: the message names the descriptor, then the process ends. */
static ssize_t checked_write(int fd, const void *buf, size_t n)
{
  ssize_t written = write(fd, buf, n);
  if (written == -1) {
    char msg[128];
    snprintf(msg, sizeof msg, "Unable to write to fd %d", fd);
    perror(msg);
    _exit(1);
  }
  return written;
}

static void report_failure(const char *what, int fd)
{
  fprintf(stderr, "%s failed on fd %d\n", what, fd);
}

/* Two calls down: the number reaches fprintf() through report_failure(). */
static int send_all(int fd, const char *s)
{
  size_t len = strlen(s);
  if (write(fd, s, len) != (ssize_t)len) {
    report_failure("write", fd);
    return -1;
  }
  return 0;
}

/* Starts a program told the descriptor's number: it may use it. */
static void hand_to_program(int fd)
{
  char arg[16];
  snprintf(arg, sizeof arg, "%d", fd);
  if (fork() == 0) {
    execlp("true", "true", arg, (char *)NULL);
    _exit(127);
  }
}

static size_t drain(int fd)
{
  char buf[256];
  size_t total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += (size_t)n;
  return total;
}

static size_t snprintf_helper(void)
{
  int p[2];
  if (pipe(p) < 0)
    return 0;
  checked_write(p[1], "hello", 5);
  size_t n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return n;
}

static size_t fprintf_two_down(void)
{
  int p[2];
  if (pipe(p) < 0)
    return 0;
  if (send_all(p[1], "hello") < 0) {
    close(p[0]);
    close(p[1]);
    return 0;
  }
  size_t n = drain(p[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: reading 'p[0]' until end-of-file never ends: this process still holds the write end 'p[1]'; close 'p[1]' before the read loop [pipe-self-deadlock]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: pipe created here
  close(p[0]);
  close(p[1]);
  return n;
}

/* Near miss: the write end is closed before the read. */
static size_t closed_first(void)
{
  int p[2];
  if (pipe(p) < 0)
    return 0;
  checked_write(p[1], "hello", 5);
  close(p[1]);
  size_t n = drain(p[0]);
  close(p[0]);
  return n;
}

/* Near miss for the checker: after the program is told the number, the
 * end is the program's business as well; nothing is said. */
static size_t told_program(void)
{
  int p[2];
  if (pipe(p) < 0)
    return 0;
  hand_to_program(p[1]);
  close(p[1]);
  size_t n = drain(p[0]);
  close(p[0]);
  return n;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (strcmp(s, "snprintf-helper") == 0)
    return snprintf_helper() != 5;
  if (strcmp(s, "fprintf-two-down") == 0)
    return fprintf_two_down() != 5;
  if (strcmp(s, "closed-first") == 0)
    return closed_first() != 5;
  if (strcmp(s, "told-program") == 0)
    return told_program() != 0;
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

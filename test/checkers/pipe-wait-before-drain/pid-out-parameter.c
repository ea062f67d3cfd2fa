// pipe-wait-before-drain where a start helper gives its caller the child's
// pid through an out-parameter (`*pid_out = pid;`), at depth 1, through a
// second helper that also makes the pipe and hands back its read end
// (`start_job(&fd, &pid)`), and through a struct's members
// (`sandbox_start(&sb)` passing `&sb->out, &sb->pid`). The fork helper's
// child runs the code after the parent's `if (pid != 0) return pid;`
// (the parent leaves first): it writes without bound. The caller waits
// for the child before it reads the pipe: the child blocks on the full
// pipe and the wait never returns (hang). The near misses read to the end
// first, then wait, and finish.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-wait-before-drain %t
// RUN: %run_example %s depth1 hang
// RUN: %run_example %s depth2 hang
// RUN: %run_example %s struct hang
// RUN: %run_example %s read-first exit
// RUN: %run_example %s struct-read-first exit

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINES 20000 /* about 340 KB, more than a pipe holds */

/* The parent returns at once; the child writes and exits. */
static pid_t fork_writer(int wr, int rd)
{
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  close(rd);
  for (int i = 0; i < LINES; i++)
    if (write(wr, "0123456789abcdef\n", 17) != 17)
      _exit(1);
  _exit(0);
}

/* Depth 1: the pid through an out-parameter. */
static int spawn_writer(int wr, int rd, pid_t *pid_out)
{
  pid_t pid = fork_writer(wr, rd);
  if (pid < 0)
    return -1;
  *pid_out = pid;
  return 0;
}

/* Depth 2: makes the pipe too; the read end and the pid go out. */
static int start_job(int *fd_out, pid_t *pid_out)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  if (spawn_writer(p[1], p[0], pid_out) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  *fd_out = p[0];
  return 0;
}

struct sandbox {
  const char *name;
  pid_t pid;
  int out;
};

static int sandbox_start(struct sandbox *sb)
{
  return start_job(&sb->out, &sb->pid);
}

static int sandbox_wait(const struct sandbox *sb)
{
  int st;
  if (waitpid(sb->pid, &st, 0) < 0)
    return -1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static long drain(int fd)
{
  char buf[4096];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int depth1(void)
{
  int p[2];
  pid_t pid;
  if (pipe(p) < 0)
    return -1;
  if (spawn_writer(p[1], p[0], &pid) < 0)
    return -1;
  close(p[1]);
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'p[0]' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'p[0]' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process 'pid' starts here; it writes up to 340000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'p[0]' is read only here, after the wait
  long n = drain(p[0]);
  close(p[0]);
  return n > 0 ? 0 : -1;
}

static int depth2(void)
{
  int fd;
  pid_t pid;
  if (start_job(&fd, &pid) < 0)
    return -1;
  waitpid(pid, NULL, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: waitpid() waits for child process 'pid' before its output pipe 'fd' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'fd' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'pid' starts here; it writes up to 340000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+1]]:12: note: 'fd' is read only here, after the wait
  long n = drain(fd);
  close(fd);
  return n > 0 ? 0 : -1;
}

static int in_struct(void)
{
  struct sandbox sb = {.name = "export"};
  if (sandbox_start(&sb) < 0)
    return -1;
  if (sandbox_wait(&sb) < 0) {
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: sandbox_wait() waits for child process 'sb.pid' before its output pipe 'sb.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'sb.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process 'sb.pid' starts here; it writes up to 340000 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE-5]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+4]]:12: note: 'sb.out' is read only here, after the wait
    close(sb.out);
    return -1;
  }
  long n = drain(sb.out);
  close(sb.out);
  return n > 0 ? 0 : -1;
}

static int read_first(void)
{
  int fd;
  pid_t pid;
  int st;
  if (start_job(&fd, &pid) < 0)
    return -1;
  long n = drain(fd);
  close(fd);
  if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return -1;
  return n == 17L * LINES ? 0 : -1;
}

static int struct_read_first(void)
{
  struct sandbox sb = {.name = "export"};
  if (sandbox_start(&sb) < 0)
    return -1;
  long n = drain(sb.out);
  close(sb.out);
  if (sandbox_wait(&sb) < 0)
    return -1;
  return n == 17L * LINES ? 0 : -1;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "depth1"))
    return depth1() ? 1 : 0;
  if (!strcmp(s, "depth2"))
    return depth2() ? 1 : 0;
  if (!strcmp(s, "struct"))
    return in_struct() ? 1 : 0;
  if (!strcmp(s, "read-first"))
    return read_first() ? 1 : 0;
  if (!strcmp(s, "struct-read-first"))
    return struct_read_first() ? 1 : 0;
  return 2;
}

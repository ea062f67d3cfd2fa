/* pipe-wait-before-drain for a child whose pid and output pipe a helper
 * keeps in a struct nested in the struct another helper returns by value
 * (`struct job { ...; struct proc child; }`, the pid at `j.child.pid`),
 * waited for and then read by a third helper, whose read helper may
 * return before it reads (a failed malloc()). The start summary follows
 * the handle into the nested member; the finishing helper's summary
 * reads the output to end-of-file after its wait on some path, and on
 * that path the wait finds it unread.
 *
 * Each finding waits for a child that writes more than the pipe holds
 * before reading its output; each hangs. The near miss reads first.
 *
 * RUN: %check_pipe_tidy %s pipe-wait-before-drain %t -- -- -std=gnu11
 * RUN: %run_example %s wait-first hang
 * RUN: %run_example %s in-loop hang
 * RUN: %run_example %s read-first exit
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct proc {
  pid_t pid;
  int out;
};

struct job {
  const char *name;
  struct proc child;
  int status;
  size_t bytes;
};

static int start_proc(const char *cmd, struct proc *p)
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
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  p->pid = pid;
  p->out = fds[0];
  return 0;
}

static struct job job_start(const char *name, const char *cmd)
{
  struct job j = {.name = name, .child = {-1, -1}, .status = -1};
  start_proc(cmd, &j.child);
  return j;
}

/* Reads the output to its end into a heap buffer, and closes it. */
static int slurp(struct job *j)
{
  char *buf = malloc(4096);
  ssize_t n;
  if (!buf)
    return -1;
  j->bytes = 0;
  while ((n = read(j->child.out, buf, 4096)) > 0)
    j->bytes += (size_t)n;
  free(buf);
  close(j->child.out);
  return 0;
}

static int finish_job(struct job *j)
{
  if (j->child.pid < 0)
    return -1;
  waitpid(j->child.pid, &j->status, 0);
  return slurp(j);
}

static int finish_job_reading_first(struct job *j)
{
  if (j->child.pid < 0)
    return -1;
  int rc = slurp(j);
  waitpid(j->child.pid, &j->status, 0);
  return rc;
}

static const char *const Cmd = "seq 1 100000";

static int wait_first(void)
{
  struct job j = job_start("numbers", Cmd);
  return finish_job(&j);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: finish_job() waits for child process 'j.child.pid' before its output pipe 'j.child.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.child.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: child process 'j.child.pid' starts here; it makes 'fds[1] in start_proc() in job_start()' its standard output, where it may write any amount
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: finish_job() reads 'j.child.out' only after that wait
}

static int in_loop(int n)
{
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    struct job j = job_start("numbers", Cmd);
    rc = finish_job(&j);
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: finish_job() waits for child process 'j.child.pid' before its output pipe 'j.child.out' is read to the end: the child blocks once the pipe is full (65536 bytes) and never exits, so this wait never returns; read 'j.child.out' to end-of-file first, or poll it while the child runs [pipe-wait-before-drain]
    // CHECK-MESSAGES: :[[@LINE-3]]:20: note: child process 'j.child.pid' starts here; it makes 'fds[1] in start_proc() in job_start()' its standard output, where it may write any amount
    // CHECK-MESSAGES: :[[@LINE-4]]:20: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: finish_job() reads 'j.child.out' only after that wait
  }
  return rc;
}

static int read_first(void)
{
  struct job j = job_start("numbers", Cmd);
  return finish_job_reading_first(&j);
}

int main(int argc, char **argv)
{
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "wait-first"))
    return wait_first();
  if (!strcmp(argv[1], "in-loop"))
    return in_loop(2);
  if (!strcmp(argv[1], "read-first"))
    return read_first();
  return 2;
}

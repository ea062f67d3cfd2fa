// pipe-writer-error-ignored where the writer thread's handle is kept in the
// struct it is given (`pthread_create(&j->tid, NULL, send_records, j)`):
// started directly or by a helper (`job_start(&j, fd)`), and joined
// directly or by a helper that throws the status away (`job_wait(&j)`
// doing `pthread_join(j->tid, NULL)`). Giving the routine the struct does
// not give its handle away: the routine cannot join itself.
//
// Each writer writes a header and then fails, returning (void *)1; the
// scenario exits 0 only when the reader took the header alone as the whole
// output: the failure went unnoticed. The near miss joins through a helper
// that returns the status, and the reader checks it (exit 0 when it
// reports the failure); it is silent.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s direct exit
// RUN: %run_example %s start-helper exit
// RUN: %run_example %s wait-helper exit
// RUN: %run_example %s status-checked exit

#include <pthread.h>
#include <string.h>
#include <unistd.h>

struct job {
  int fd;
  int records;
  pthread_t tid;
};

/* Writes a header, then fails before the records. */
static void *send_records(void *arg)
{
  struct job *j = arg;
  if (write(j->fd, "HDR\n", 4) != 4 || j->records > 0) {
    close(j->fd);
    return (void *)1;
  }
  close(j->fd);
  return NULL;
}

static int job_start(struct job *j, int fd, int records)
{
  j->fd = fd;
  j->records = records;
  return pthread_create(&j->tid, NULL, send_records, j);
}

static void job_wait(struct job *j)
{
  pthread_join(j->tid, NULL);
}

static int job_wait_status(struct job *j)
{
  void *ret = NULL;
  pthread_join(j->tid, &ret);
  return ret == NULL ? 0 : -1;
}

static long drain(int fd)
{
  char buf[256];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

static int direct(void)
{
  int p[2];
  struct job j;
  if (pipe(p) < 0)
    return 1;
  j.fd = p[1];
  j.records = 3;
  if (pthread_create(&j.tid, NULL, send_records, &j) != 0)
    return 1;
  long got = drain(p[0]);
  close(p[0]);
  pthread_join(j.tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() discards what 'send_records' returns, the only sign of its failure: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; pass a pointer to pthread_join() and check the status it returns [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: the writer starts here
  // CHECK-MESSAGES: :[[@LINE-50]]:5: note: it returns a status here
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: pipe created here
  return got == 4 ? 0 : 1; /* "complete": the header only */
}

static int start_helper(void)
{
  int p[2];
  struct job j;
  if (pipe(p) < 0)
    return 1;
  if (job_start(&j, p[1], 3) != 0)
    return 1;
  long got = drain(p[0]);
  close(p[0]);
  pthread_join(j.tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: pthread_join() discards what 'send_records' returns, the only sign of its failure: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; pass a pointer to pthread_join() and check the status it returns [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: the writer starts here
  // CHECK-MESSAGES: :[[@LINE-69]]:5: note: it returns a status here
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  return got == 4 ? 0 : 1;
}

static int wait_helper(void)
{
  int p[2];
  struct job j;
  if (pipe(p) < 0)
    return 1;
  if (job_start(&j, p[1], 3) != 0)
    return 1;
  long got = drain(p[0]);
  close(p[0]);
  job_wait(&j);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'job_wait', which joins it with pthread_join(), discards what 'send_records' returns, the only sign of its failure: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; have 'job_wait' pass a pointer to pthread_join() and check the status it returns [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-6]]:7: note: the writer starts here
  // CHECK-MESSAGES: :[[@LINE-88]]:5: note: it returns a status here
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
  return got == 4 ? 0 : 1;
}

static int status_checked(void)
{
  int p[2];
  struct job j;
  if (pipe(p) < 0)
    return 1;
  if (job_start(&j, p[1], 3) != 0)
    return 1;
  long got = drain(p[0]);
  close(p[0]);
  if (job_wait_status(&j) != 0)
    return 0; /* the failure is reported */
  return got == 4 ? 1 : 2;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  if (!strcmp(s, "direct"))
    return direct();
  if (!strcmp(s, "start-helper"))
    return start_helper();
  if (!strcmp(s, "wait-helper"))
    return wait_helper();
  if (!strcmp(s, "status-checked"))
    return status_checked();
  return 2;
}

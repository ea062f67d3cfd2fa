// pipe-leaked-writer when the function copies the read end from its pipe
// array into a struct (`job.rd = fds[0]`) and a stop helper given the
// struct joins the writer before it closes `job->rd`: the helper's close
// names the struct's member, the same end as `fds[0]`. The reader stops
// after a short header, the writer (1 MiB) is blocked on the full pipe,
// and the join in the helper never returns. The warning is at the helper's
// join; the helper that closes first is silent.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s joins-first hang
// RUN: %run_example %s closes-first exit

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct job {
  pthread_t tid;
  int rd;
};

static void *produce(void *arg) {
  int fd = *(int *)arg;
  static char block[4096];
  memset(block, 'x', sizeof block);
  for (int i = 0; i < 256; i++)
    if (write(fd, block, sizeof block) < 0)
      break;
  close(fd);
  return NULL;
}

static void job_stop(struct job *j) {
  pthread_join(j->tid, NULL);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'job_stop' joins thread 'job.tid' running 'produce' here, before it closes the read end 'j->rd': on a path where the pipe is no longer read, the thread may be blocked on the full pipe and never finish, so 'job_stop' never returns; close 'j->rd' before the join, so that the writer fails with EPIPE [pipe-leaked-writer]
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: 'j->rd' is closed only here, after the join
  // CHECK-MESSAGES: :[[@LINE+19]]:7: note: thread 'job.tid' running 'produce' starts here; it writes up to 1048576 bytes, more than the pipe holds (65536 bytes)
  // CHECK-MESSAGES: :[[@LINE+13]]:7: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE+27]]:5: note: 'job_stop' is called here while thread 'job.tid' running 'produce' may still be writing and 'job.rd' is no longer read, though not at end-of-file
  // CHECK-MESSAGES: :[[@LINE+23]]:7: note: taking the false branch
  close(j->rd);
}

static void job_stop_closing_first(struct job *j) {
  close(j->rd);
  pthread_join(j->tid, NULL);
}

static int run(int close_first) {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  int wfd = fds[1];
  struct job job;
  job.rd = fds[0];
  if (pthread_create(&job.tid, NULL, produce, &wfd) != 0) {
    close(fds[0]);
    close(fds[1]);
    return 1;
  }
  char header[16];
  ssize_t n = read(job.rd, header, sizeof header);
  if (close_first)
    job_stop_closing_first(&job);
  else
    job_stop(&job);
  return n == (ssize_t)sizeof header ? 0 : 1;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc > 1 && strcmp(argv[1], "joins-first") == 0)
    return run(0);
  if (argc > 1 && strcmp(argv[1], "closes-first") == 0)
    return run(1);
  return 2;
}


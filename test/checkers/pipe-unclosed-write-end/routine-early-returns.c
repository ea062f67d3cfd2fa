// pipe-unclosed-write-end for a thread's start routine that closes the
// write end it was given when it runs to its end, but returns earlier
// without closing it: on that path nobody closes the end, and the reader,
// which reads to end-of-file before it joins, blocks forever. The warning
// is at the early return, with notes at the pipe's creation, at the start
// and at the branch that took the path. Shapes: the end in a struct the
// routine gets through its `void *` (the pipe made by a helper through
// out-parameters, the struct cleared by memset()), the end a routine reads
// through its `void *` as one descriptor (`*(int *)arg`), and a routine
// that closes it through a helper of its own at its end.
//
// Near misses, each run: the same routines leaving through one `goto out`
// that closes the end; a routine that closes the end only on its failure
// path and keeps it at its end (its starter closes it after the join, and
// does not read to end-of-file); a routine that closes it on every path;
// a starter that joins first and then closes the end the routine left.
//
// RUN: %check_pipe_tidy %s pipe-unclosed-write-end %t -- -- -D_GNU_SOURCE
// RUN: %run_example %s struct-early-return hang
// RUN: %run_example %s struct-goto-out exit
// RUN: %run_example %s one-descriptor hang
// RUN: %run_example %s helper-close hang
// RUN: %run_example %s closes-on-failure-only exit
// RUN: %run_example %s closes-everywhere exit
// RUN: %run_example %s starter-closes-after-join exit

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
  int count;
  int bad_at; /* the record the producer refuses, or -1 */
  int rd, wr;
  int error;
  pthread_t tid;
};

static int open_pipe(int *rd, int *wr) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) == -1)
    return -1;
  *rd = p[0];
  *wr = p[1];
  return 0;
}

static int put(int fd, char c) { return write(fd, &c, 1) == 1 ? 0 : -1; }

/* Closes the write end at its end, but not when it refuses a record. */
static void *produce(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->count; i++) {
    if (i == j->bad_at) {
      j->error = EINVAL;
      return NULL;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'produce' returns here without closing 'j->wr', the write end its thread was given, which it closes when it runs to its end; readers of the pipe never see end-of-file; close 'j->wr' before this return [pipe-unclosed-write-end]
      // CHECK-MESSAGES: :[[@LINE+67]]:7: note: pipe created here
      // CHECK-MESSAGES: :[[@LINE+68]]:7: note: the thread is started here and given 'j->wr'
      // CHECK-MESSAGES: :[[@LINE-6]]:9: note: taking the true branch
    }
    if (put(j->wr, 'x') != 0)
      break;
  }
  close(j->wr);
  j->wr = -1;
  return NULL;
}

/* The same, fixed: every path leaves through `out`. */
static void *produce_fixed(void *arg) {
  struct job *j = arg;
  for (int i = 0; i < j->count; i++) {
    if (i == j->bad_at) {
      j->error = EINVAL;
      goto out;
    }
    if (put(j->wr, 'x') != 0)
      break;
  }
out:
  close(j->wr);
  j->wr = -1;
  return NULL;
}

static void finish(struct job *j) {
  close(j->wr);
  j->wr = -1;
}

/* Closes it at its end through finish(). */
static void *produce_via_helper(void *arg) {
  struct job *j = arg;
  if (j->bad_at == 0)
    return NULL;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'produce_via_helper' returns here without closing 'j->wr', the write end its thread was given, which it closes when it runs to its end; readers of the pipe never see end-of-file; close 'j->wr' before this return [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+53]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+54]]:7: note: the thread is started here and given 'j->wr'
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  put(j->wr, 'x');
  finish(j);
  return NULL;
}

static int start(struct job *j, void *(*routine)(void *), int count,
                 int bad_at) {
  memset(j, 0, sizeof *j);
  j->count = count;
  j->bad_at = bad_at;
  if (open_pipe(&j->rd, &j->wr) == -1)
    return -1;
  if (pthread_create(&j->tid, NULL, routine, j) != 0) {
    close(j->rd);
    close(j->wr);
    return -1;
  }
  return 0;
}

static int start_struct(struct job *j, int bad_at) {
  memset(j, 0, sizeof *j);
  j->count = 3;
  j->bad_at = bad_at;
  if (open_pipe(&j->rd, &j->wr) == -1)
    return -1;
  if (pthread_create(&j->tid, NULL, produce, j) != 0) {
    close(j->rd);
    close(j->wr);
    return -1;
  }
  return 0;
}

static int start_fixed(struct job *j, int bad_at) {
  memset(j, 0, sizeof *j);
  j->count = 3;
  j->bad_at = bad_at;
  if (open_pipe(&j->rd, &j->wr) == -1)
    return -1;
  if (pthread_create(&j->tid, NULL, produce_fixed, j) != 0) {
    close(j->rd);
    close(j->wr);
    return -1;
  }
  return 0;
}

static int start_via_helper(struct job *j) {
  memset(j, 0, sizeof *j);
  if (open_pipe(&j->rd, &j->wr) == -1)
    return -1;
  if (pthread_create(&j->tid, NULL, produce_via_helper, j) != 0) {
    close(j->rd);
    close(j->wr);
    return -1;
  }
  return 0;
}

/* Reads to end-of-file, then joins. */
static int collect(struct job *j) {
  char buf[64];
  ssize_t n;
  int total = 0;
  while ((n = read(j->rd, buf, sizeof buf)) > 0)
    total += (int)n;
  pthread_join(j->tid, NULL);
  close(j->rd);
  return j->error ? -1 : total;
}

/* One descriptor through the `void *`. */
static void *write_one(void *arg) {
  int fd = *(int *)arg;
  if (getenv("PIPE_TIDY_NO_SUCH_VARIABLE") == NULL)
    return NULL;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'write_one' returns here without closing 'fd', the write end its thread was given, 'fds[1]' of its starter, which it closes when it runs to its end; readers of the pipe never see end-of-file; close 'fd' before this return [pipe-unclosed-write-end]
    // CHECK-MESSAGES: :[[@LINE+12]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+13]]:7: note: the thread is started here and given 'fds[1]'
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: taking the true branch
  put(fd, 'x');
  close(fd);
  return NULL;
}

static int one_descriptor(void) {
  int fds[2];
  pthread_t t;
  char buf[16];
  if (pipe(fds) < 0)
    return -1;
  if (pthread_create(&t, NULL, write_one, &fds[1]) != 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  while (read(fds[0], buf, sizeof buf) > 0)
    ;
  pthread_join(t, NULL);
  close(fds[0]);
  return 0;
}

/* Closes the write end only when it fails; its starter closes it after
   the join otherwise. */
static void *produce_or_close(void *arg) {
  struct job *j = arg;
  if (j->bad_at == 0) {
    close(j->wr);
    j->wr = -1;
    return NULL;
  }
  put(j->wr, 'x');
  return NULL;
}

static int closes_on_failure_only(void) {
  struct job j;
  char c;
  memset(&j, 0, sizeof j);
  if (open_pipe(&j.rd, &j.wr) == -1)
    return -1;
  if (pthread_create(&j.tid, NULL, produce_or_close, &j) != 0)
    return -1;
  pthread_join(j.tid, NULL);
  if (j.wr != -1)
    close(j.wr);
  read(j.rd, &c, 1);
  close(j.rd);
  return 0;
}

/* Like produce(); its starter joins first, then closes what is left. */
static void *produce_then_return(void *arg) {
  struct job *j = arg;
  if (j->bad_at == 0) {
    j->error = EINVAL;
    return NULL;
  }
  put(j->wr, 'x');
  close(j->wr);
  j->wr = -1;
  return NULL;
}

static int starter_closes_after_join(void) {
  struct job j;
  char buf[8];
  memset(&j, 0, sizeof j);
  if (open_pipe(&j.rd, &j.wr) == -1)
    return -1;
  if (pthread_create(&j.tid, NULL, produce_then_return, &j) != 0)
    return -1;
  pthread_join(j.tid, NULL);
  if (j.wr != -1)
    close(j.wr);
  while (read(j.rd, buf, sizeof buf) > 0)
    ;
  close(j.rd);
  return j.error == EINVAL ? 0 : -1; /* the early return, and no hang */
}

int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "";
  struct job j;
  if (!strcmp(s, "struct-early-return"))
    return start_struct(&j, 1) == 0 && collect(&j) == -1 ? 0 : 1;
  if (!strcmp(s, "struct-goto-out"))
    return start_fixed(&j, 1) == 0 && collect(&j) == -1 ? 0 : 1;
  if (!strcmp(s, "one-descriptor"))
    return one_descriptor();
  if (!strcmp(s, "helper-close"))
    return start_via_helper(&j) == 0 && collect(&j) == -1 ? 0 : 1;
  if (!strcmp(s, "closes-on-failure-only"))
    return closes_on_failure_only();
  if (!strcmp(s, "closes-everywhere"))
    return start(&j, produce_fixed, 2, -1) == 0 && collect(&j) == 2 ? 0 : 1;
  if (!strcmp(s, "starter-closes-after-join"))
    return starter_closes_after_join() == 0 ? 0 : 1;
  return 64;
}

// The writer thread's arguments live in a struct the reader allocated; the
// writer records its failure in a member of it. Freeing the struct after
// the join is not looking at the member: a reader that reads the pipe to
// end-of-file, joins, frees and reports success passes a truncated output
// off as complete. A reader that tests the member after the join is
// silent. The scenarios exit 0 when the lie (or, for the near-miss, the
// honest failure) is seen.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t
// RUN: %run_example %s flag-freed-unread exit
// RUN: %run_example %s flag-tested exit

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dump_args {
  const char *path;
  int out;
  int err;
};

static void *dump_main(void *opaque) {
  struct dump_args *a = opaque;
  char line[256];
  write(a->out, "begin\n", 6);
  FILE *in = fopen(a->path, "r");
  if (!in) {
    a->err = errno;
    close(a->out);
    return NULL;
  }
  while (fgets(line, sizeof line, in))
    write(a->out, line, strlen(line));
  fclose(in);
  write(a->out, "end\n", 4);
  close(a->out);
  return NULL;
}

/* Returns the bytes read, or -1 on failure. */
static long dump(const char *path, char *out, size_t cap) {
  struct dump_args *a = calloc(1, sizeof *a);
  pthread_t t;
  int p[2];
  long len = 0;
  ssize_t n;
  if (!a)
    return -1;
  if (pipe(p) < 0) {
    free(a);
    return -1;
  }
  a->path = path;
  a->out = p[1];
  if (pthread_create(&t, NULL, dump_main, a) != 0) {
    close(p[0]);
    close(p[1]);
    free(a);
    return -1;
  }
  while ((n = read(p[0], out + len, cap - (size_t)len - 1)) > 0)
    len += n;
  close(p[0]);
  pthread_join(t, NULL);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the writer records its failure in 'a->err', but nothing reads 'a->err' after it is joined here: a writer that fails part-way looks to the reader of 'p[0]' like one that finished, and the output read is used as if complete; test 'a->err' after the join and report the failure [pipe-writer-error-ignored]
// CHECK-MESSAGES: :[[@LINE-11]]:7: note: the writer starts here
// CHECK-MESSAGES: :[[@LINE-39]]:5: note: it records its failure here
// CHECK-MESSAGES: :[[@LINE-7]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
// CHECK-MESSAGES: :[[@LINE-20]]:7: note: pipe created here
// CHECK-MESSAGES: :[[@LINE-9]]:10: note: the loop condition is false: leaving the loop
  free(a);
  return len;
}

/* The same, testing the writer's record after the join. */
static long dump_checked(const char *path, char *out, size_t cap) {
  struct dump_args *a = calloc(1, sizeof *a);
  pthread_t t;
  int p[2];
  long len = 0;
  ssize_t n;
  if (!a)
    return -1;
  if (pipe(p) < 0) {
    free(a);
    return -1;
  }
  a->path = path;
  a->out = p[1];
  if (pthread_create(&t, NULL, dump_main, a) != 0) {
    close(p[0]);
    close(p[1]);
    free(a);
    return -1;
  }
  while ((n = read(p[0], out + len, cap - (size_t)len - 1)) > 0)
    len += n;
  close(p[0]);
  pthread_join(t, NULL);
  int err = a->err;
  free(a);
  return err ? -1 : len;
}

int main(int argc, char **argv) {
  char out[4096];
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "flag-freed-unread")) {
    long n = dump("/nonexistent/dump-input", out, sizeof out);
    // Reported as a success, with only the first line.
    return n == 6 ? 0 : 1;
  }
  if (!strcmp(argv[1], "flag-tested"))
    return dump_checked("/nonexistent/dump-input", out, sizeof out) == -1 ? 0 : 1;
  return 2;
}

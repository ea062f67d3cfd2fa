// A test helper captures what a function prints: capture_begin() makes
// standard output a copy of a pipe's write end (dup2) and closes the end
// itself, keeping the read end in a struct; capture_end() reads the pipe to
// end-of-file and only then restores standard output. While it reads, fd 1
// is still a write end of the pipe, held by the reading process: the read
// never ends. Restoring fd 1 first is the fix.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s read-then-restore hang
// RUN: %run_example %s by-value hang
// RUN: %run_example %s growing-buffer hang
// RUN: %run_example %s restore-then-read exit

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct capture {
  int saved_stdout;
  int rd;
};

static int capture_begin(struct capture *c) {
  int p[2];
  fflush(stdout);
  if (pipe(p) < 0)
    return -1;
  c->saved_stdout = dup(STDOUT_FILENO);
  if (c->saved_stdout < 0 || dup2(p[1], STDOUT_FILENO) < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  close(p[1]);
  c->rd = p[0];
  return 0;
}

// Appends what fits of \p n bytes, and keeps \p out a string.
static size_t keep(char *out, size_t size, size_t len, const char *tmp,
                   size_t n) {
  size_t k = n < size - 1 - len ? n : size - 1 - len;
  memcpy(out + len, tmp, k);
  out[len + k] = '\0';
  return len + k;
}

// Reads first, restores after: the bug.
static size_t capture_end(struct capture *c, char *out, size_t size) {
  char tmp[256];
  size_t len = 0;
  ssize_t n;
  fflush(stdout);
  while ((n = read(c->rd, tmp, sizeof tmp)) > 0)
    len = keep(out, size, len, tmp, (size_t)n);
  close(c->rd);
  dup2(c->saved_stdout, STDOUT_FILENO);
  close(c->saved_stdout);
  return len;
}

// Restores first, then reads: the fix.
static size_t capture_end_fixed(struct capture *c, char *out, size_t size) {
  char tmp[256];
  size_t len = 0;
  ssize_t n;
  fflush(stdout);
  dup2(c->saved_stdout, STDOUT_FILENO);
  close(c->saved_stdout);
  while ((n = read(c->rd, tmp, sizeof tmp)) > 0)
    len = keep(out, size, len, tmp, (size_t)n);
  close(c->rd);
  return len;
}

// Reads into a buffer it grows, then restores. Out of memory it gives up
// before reading all of it: no path a caller counts on, and not what makes
// it a read to end-of-file.
static char *capture_end_alloc(struct capture *c) {
  size_t len = 0, size = 64;
  ssize_t n;
  char *out = malloc(size);
  if (out == NULL)
    return NULL;
  fflush(stdout);
  while ((n = read(c->rd, out + len, size - len - 1)) > 0) {
    len += (size_t)n;
    if (size - len < 16) {
      char *bigger = realloc(out, size *= 2);
      if (!bigger) {
        free(out);
        return NULL;
      }
      out = bigger;
    }
  }
  out[len] = '\0';
  close(c->rd);
  dup2(c->saved_stdout, STDOUT_FILENO);
  close(c->saved_stdout);
  return out;
}

static size_t drain(int fd, char *out, size_t size) {
  char tmp[256];
  size_t len = 0;
  ssize_t n;
  while ((n = read(fd, tmp, sizeof tmp)) > 0)
    len = keep(out, size, len, tmp, (size_t)n);
  return len;
}

int greeting_test(void) {
  struct capture cap;
  char got[128];
  if (capture_begin(&cap) < 0)
    return -1;
  printf("hello, world\n");
  return capture_end(&cap, got, sizeof got) > 0 && !strcmp(got, "hello, world\n");
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: reading 'cap.rd' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'capture_begin()', so the pipe stays open after 'capture_begin()' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: standard output (fd 1) becomes a copy of 'capture_begin()' here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
}

int by_value_test(void) {
  struct capture cap;
  char got[128];
  if (capture_begin(&cap) < 0)
    return -1;
  printf("hello, world\n");
  fflush(stdout);
  size_t len = drain(cap.rd, got, sizeof got);
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: reading 'cap.rd' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'capture_begin()', so the pipe stays open after 'capture_begin()' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: standard output (fd 1) becomes a copy of 'capture_begin()' here
// CHECK-MESSAGES: :[[@LINE-7]]:7: note: pipe created here
  close(cap.rd);
  dup2(cap.saved_stdout, STDOUT_FILENO);
  close(cap.saved_stdout);
  return len > 0;
}

int growing_test(void) {
  struct capture cap;
  if (capture_begin(&cap) < 0)
    return -1;
  printf("hello, world\n");
  char *got = capture_end_alloc(&cap);
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: reading 'cap.rd' until end-of-file never ends: standard output (fd 1) is still a copy of the write end 'capture_begin()', so the pipe stays open after 'capture_begin()' is closed; restore or close fd 1 before the read loop [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: standard output (fd 1) becomes a copy of 'capture_begin()' here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
  int ok = got && !strcmp(got, "hello, world\n");
  free(got);
  return ok;
}

// Near-miss: the helper restores standard output before it reads.
int fixed_test(void) {
  struct capture cap;
  char got[128];
  if (capture_begin(&cap) < 0)
    return -1;
  printf("hello, world\n");
  return capture_end_fixed(&cap, got, sizeof got) > 0 &&
         !strcmp(got, "hello, world\n");
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "read-then-restore"))
    return greeting_test() == 1 ? 0 : 1;
  if (!strcmp(argv[1], "by-value"))
    return by_value_test() == 1 ? 0 : 1;
  if (!strcmp(argv[1], "growing-buffer"))
    return growing_test() == 1 ? 0 : 1;
  if (!strcmp(argv[1], "restore-then-read"))
    return fixed_test() == 1 ? 0 : 1;
  return 2;
}

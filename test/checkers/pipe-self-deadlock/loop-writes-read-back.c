// A thread that uses a pipe as its own queue: it writes every record in a
// loop, through a write helper, and only then reads them back, through a
// helper that reads a given amount. Records of any number and size can
// fill the pipe, and the write then blocks forever. The read helper is no
// read to end-of-file, but whatever was written before it still had to
// fit. The hang scenarios write 5000 records; the near-misses finish.
//
// RUN: %check_pipe_tidy %s pipe-self-deadlock %t
// RUN: %run_example %s helper-loop hang
// RUN: %run_example %s helper-depth2 hang
// RUN: %run_example %s counted exit
// RUN: %run_example %s maybe-empty exit

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int put_record(int fd, const char *rec) {
  uint32_t len = (uint32_t)strlen(rec);
  if (write_all(fd, &len, sizeof len) < 0)
    return -1;
  return write_all(fd, rec, len);
}

static int read_all(int fd, void *data, size_t len) {
  char *p = data;
  while (len > 0) {
    ssize_t n = read(fd, p, len);
    if (n <= 0)
      return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static const char *record(void) {
  return "event payload xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
}

// The queue: every record in, then every record out.
size_t spool(size_t count) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t len = (uint32_t)strlen(record());
    if (write_all(p[1], &len, sizeof len) < 0 ||
        write_all(p[1], record(), len) < 0)
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: writing an amount that grows with the loop to 'p[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE+8]]:9: note: this thread reads the pipe back here
// CHECK-MESSAGES: :[[@LINE-8]]:7: note: pipe created here
      break;
  }
  size_t got = 0;
  for (size_t i = 0; i < count; i++) {
    uint32_t len = 0;
    char buf[256];
    if (read_all(p[0], &len, sizeof len) < 0 || len > sizeof buf ||
        read_all(p[0], buf, len) < 0)
      break;
    got++;
  }
  close(p[0]);
  close(p[1]);
  return got;
}

// The same, two helpers deep.
size_t spool_records(size_t count) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  for (size_t i = 0; i < count; i++)
    if (put_record(p[1], record()) < 0)
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: writing an amount that grows with the loop to 'p[1]' fills the pipe (it holds 65536 bytes) before this thread reads it back; the write blocks forever; read from another thread, or write less than the pipe holds [pipe-self-deadlock]
// CHECK-MESSAGES: :[[@LINE+4]]:16: note: this thread reads the pipe back here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: pipe created here
      break;
  uint32_t len = 0;
  size_t got = read_all(p[0], &len, sizeof len) == 0;
  close(p[0]);
  close(p[1]);
  return got;
}

// Near-miss: three small records always fit.
size_t counted(void) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  for (int i = 0; i < 3; i++)
    if (write_all(p[1], "abcd", 4) < 0)
      break;
  char buf[12];
  size_t got = read_all(p[0], buf, sizeof buf) == 0;
  close(p[0]);
  close(p[1]);
  return got;
}

// Near-miss: the loop writes at most three bytes, and may run no turn,
// for a count only the caller knows: the read that follows is not said to
// wait for data nobody writes.
size_t maybe_empty(const char **recs, size_t count) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  for (size_t i = 0; i < 3 && i < count; i++)
    if (write(p[1], recs[i], 1) < 0)
      break;
  char c = 0;
  size_t got = count > 0 && read(p[0], &c, 1) == 1;
  close(p[0]);
  close(p[1]);
  return got;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *s = argv[1];
  if (!strcmp(s, "helper-loop"))
    return spool(5000) == 5000 ? 0 : 1;
  if (!strcmp(s, "helper-depth2"))
    return spool_records(5000) == 1 ? 0 : 1;
  if (!strcmp(s, "counted"))
    return counted() == 1 ? 0 : 1;
  if (!strcmp(s, "maybe-empty")) {
    const char *recs[] = {"a", "b"};
    return maybe_empty(recs, 2) == 1 && maybe_empty(recs, 0) == 0 ? 0 : 1;
  }
  return 2;
}

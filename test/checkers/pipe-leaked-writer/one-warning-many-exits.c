// pipe-leaked-writer: one warning for one defect that several exits share.
// check_header() starts a writer thread and reads a header; two early
// returns (a short read, a wrong header) leave the thread blocked on the
// full pipe with the read end open. The fix is the same for both (close
// the read end and join before returning), so the check gives one warning,
// at the first of them, and a note at the other. The process then leaves
// main with pthread_exit(), which waits for the blocked writer: it hangs.
//
// The near miss closes the read end and joins on every early return, and
// finishes.
//
// RUN: %check_pipe_tidy %s pipe-leaked-writer %t
// RUN: %run_example %s wrong-header hang
// RUN: %run_example %s closes-first exit

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static void *produce(void *arg)
{
  int wr = (int)(intptr_t)arg;
  for (int i = 0; i < 100000; i++)
    if (write(wr, "0123456789abcdef", 16) != 16)
      break;
  close(wr);
  return NULL;
}

static int check_header(const char *want)
{
  int p[2];
  pthread_t t;
  char b[16];

  if (pipe(p) < 0)
    return -1;
  if (pthread_create(&t, NULL, produce, (void *)(intptr_t)p[1]) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (read(p[0], b, 16) != 16)
    return -1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: thread 't' running 'produce' is never joined on this path, and the read end 'p[0]' stays open and unread: the writer stays blocked on the full pipe forever; close 'p[0]' so that it fails with EPIPE, then join it [pipe-leaked-writer]
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: thread 't' running 'produce' starts here; it writes up to 1600000 bytes, more than the pipe holds (65536 bytes)
    // CHECK-MESSAGES: :[[@LINE-11]]:7: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+2]]:5: note: thread 't' running 'produce' is left running here too, on another path, with the read end still open
  if (memcmp(b, want, 4) != 0)
    return -2;
  while (read(p[0], b, 16) > 0) {
  }
  close(p[0]);
  pthread_join(t, NULL);
  return 0;
}

static int check_header_closing(const char *want)
{
  int p[2];
  pthread_t t;
  char b[16];
  int rc = 0;

  if (pipe(p) < 0)
    return -1;
  if (pthread_create(&t, NULL, produce, (void *)(intptr_t)p[1]) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (read(p[0], b, 16) != 16)
    rc = -1;
  else if (memcmp(b, want, 4) != 0)
    rc = -2;
  else
    while (read(p[0], b, 16) > 0) {
    }
  close(p[0]);
  pthread_join(t, NULL);
  return rc;
}

int main(int argc, char **argv)
{
  const char *s = argc > 1 ? argv[1] : "";
  signal(SIGPIPE, SIG_IGN); /* the near miss's writer gets EPIPE */
  if (!strcmp(s, "wrong-header")) {
    check_header("abcd");
    pthread_exit(NULL);
  }
  if (!strcmp(s, "closes-first"))
    return check_header_closing("abcd") == -2 ? 0 : 1;
  return 2;
}

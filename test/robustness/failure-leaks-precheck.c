// pipe-unclosed-write-end's failure leaks (FailureLeaks.cpp) analyse a
// function a second time, in summary mode, to see which pipe ends it
// leaves below its pointer parameters. 'local_only' makes a pipe and has a
// pointer parameter, but stores nothing it made through it
// (StoresForCaller.cpp), so it is summarised once, for its caller, not a
// second time for the failure leaks; 'open_into' stores a made end in the
// caller's struct and is analysed for them. The failure leak itself stays
// reported (test/checkers/pipe-unclosed-write-end/failure-leaks.c).
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %s -- 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not='warning:'
#include <unistd.h>

struct duplex { int wr; };

static int local_only(struct duplex *d, int fail) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  d->wr = 0;
  close(fds[0]);
  close(fds[1]);
  return fail ? -1 : 0;
}

static int open_into(struct duplex *d, int fail) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  close(fds[0]);
  d->wr = fds[1];
  return fail ? -1 : 0;
}

static int use(int fail) {
  struct duplex a, b;
  if (local_only(&a, fail) < 0)
    return -1;
  if (open_into(&b, fail) < 0)
    return -1;
  close(b.wr);
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 0; i < 3; i++)
    use(argc > 1);
  return 0;
}
// CHECK-COUNT-1: pipe-tidy-summary-run: 'local_only'
// CHECK-NOT: pipe-tidy-summary-run: 'local_only'

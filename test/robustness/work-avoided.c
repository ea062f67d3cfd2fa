// What the engine does not analyse, because it cannot matter (the stats
// lines count each function's tracked ends and each summary computed):
// - a parameter whose every use only reads the number (a comparison,
//   arithmetic, a condition) is no descriptor the function may own, even
//   in a function that closes something ('flags', 'sig'); main()'s
//   argument count never is;
// - a helper that makes no pipe at any depth ('closer', 'numbers_only')
//   cannot give its caller new ends, so finding 'caller''s ends asks for
//   no summary; none is computed while no tracked end reaches a call.
// The descriptors that can flow are still tracked ('fd', passed to
// close()), and a parameter closed on some paths is still reported
// (test/checkers/pipe-unclosed-write-end/).
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %s -- 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not='pipe-tidy-summary-run' --implicit-check-not='warning:'
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1 && argv[1][0] == 'x')
    close(3);
  return 0;
}
// CHECK: pipe-tidy-stats: {{.*}}'main' ends=0 elements=0

static int numbers_only(int flags, int fd, int sig) {
  if (flags > 2 && (flags & 1) && sig != 9)
    close(fd);
  return flags + 1;
}
// CHECK: pipe-tidy-stats: {{.*}}'numbers_only' ends=1 elements={{[1-9]}}

static void closer(int fd) { close(fd); }
// CHECK: pipe-tidy-stats: {{.*}}'closer' ends=1 elements={{[1-9]}}

static void caller(int fd) {
  closer(fd);
  closer(numbers_only(1, fd, 2));
}
// CHECK: pipe-tidy-stats: {{.*}}'caller' ends=0 elements=0

void use(void) { caller(4); }

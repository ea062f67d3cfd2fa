// The list form of CheckOptions that the docs show is read by every major
// (14 reads no other): the option takes effect (die() ends the path, so
// the early return leaks nothing). --verify-config checks the configuration
// without analysing anything, and catches YAML that does not parse on every
// major.
//
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/reader.c
// Without the option, the path through die() returns with both ends open:
// RUN: printf 'Checks: "-*,pipe-unclosed-write-end"\n' > %t/.clang-tidy
// RUN: %pipe_tidy --plugin %plugin %t/reader.c -- 2>&1 | FileCheck %s --check-prefix=NOOPT
// NOOPT: reader.c:[[@LINE+25]]:5: warning: 'spawn_reader' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
// RUN: printf 'Checks: "-*,pipe-unclosed-write-end"\nCheckOptions:\n  - key: pipe-unclosed-write-end.NoReturnFunctions\n    value: "die"\n' > %t/.clang-tidy
// RUN: %pipe_tidy --plugin %plugin %t/reader.c -- 2>&1 | FileCheck %s --check-prefix=LIST --implicit-check-not='warning:'
// LIST: pipe-tidy: using {{.*}}: 1 pipe check active (pipe-unclosed-write-end)
// RUN: printf 'Checks: "-*,pipe-unclosed-write-end"\nCheckOptions: [{key: pipe-unclosed-write-end.NoReturnFunctions, value: die}]\n' > %t/.clang-tidy
// RUN: %pipe_tidy --plugin %plugin %t/reader.c -- 2>&1 | FileCheck %s --check-prefix=LIST --implicit-check-not='warning:'
// RUN: %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --verify-config %t/reader.c 2>&1 | FileCheck %s --check-prefix=VERIFY
// VERIFY: pipe-tidy: using {{.*}}: 1 pipe check active
// VERIFY: exit status: 0
//
// RUN: printf 'Checks: "-*,pipe-*"\nCheckOptions: [{key: x\n' > %t/.clang-tidy
// RUN: %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --verify-config %t/reader.c 2>&1 | FileCheck %s --check-prefix=BROKEN
// BROKEN: pipe-tidy: error: could not parse the configuration file {{.*}}.clang-tidy
// BROKEN: exit status: 3

#include <unistd.h>

void die(const char *why);

int spawn_reader(int mode) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  if (mode < 0) {
    die("bad mode");
    return -1;
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}

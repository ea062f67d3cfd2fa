// Code with errors still reaches the checks; they must not crash.
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %s -- -std=gnu11 2>&1 | FileCheck %s --implicit-check-not="Stack dump"
// CHECK: error: use of undeclared identifier 'undeclared_thing'
#include <unistd.h>

int broken(void) {
  int p[2];
  if (pipe(p) < 0)
    return undeclared_thing;
  close(p[undeclared_thing]);
  switch (fork()) {
  case undeclared_thing:
    return 1;
  }
  return p[1];
}

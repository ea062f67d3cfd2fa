// Runner self-test: the compiled example is cached by what the compiler
// really reads. A change in an included header, with the source file and
// command line unchanged, must build a new binary: a stale one would keep
// "proving" a hang that the change fixed (or the reverse).
//
// RUN: rm -rf %t && mkdir -p %t/inc %t/cache
// RUN: echo '#define CLOSE_WRITE_END 0' > %t/inc/choice.h
// RUN: env PIPE_TIDY_EXAMPLE_CACHE=%t/cache %run_example %s main hang -- -I%t/inc
// RUN: echo '#define CLOSE_WRITE_END 1' > %t/inc/choice.h
// RUN: env PIPE_TIDY_EXAMPLE_CACHE=%t/cache %run_example %s main exit -- -I%t/inc
// Back to the first header: the first binary is reused and still hangs.
// RUN: echo '#define CLOSE_WRITE_END 0' > %t/inc/choice.h
// RUN: env PIPE_TIDY_EXAMPLE_CACHE=%t/cache %run_example %s main hang -- -I%t/inc
// RUN: ls %t/cache | wc -l | FileCheck %s --check-prefix=TWO
// TWO: 2
//
// Another compiler (here: a wrapper script that reports another version)
// builds its own binary too.
// RUN: printf '#!/bin/sh\nif [ "$1" = --version ]; then echo other-cc 1.0; exit 0; fi\nexec cc "$@"\n' > %t/other-cc && chmod +x %t/other-cc
// RUN: env CC=%t/other-cc PIPE_TIDY_EXAMPLE_CACHE=%t/cache %run_example %s main hang -- -I%t/inc
// RUN: ls %t/cache | wc -l | FileCheck %s --check-prefix=THREE
// THREE: 3

#include "choice.h"
#include <unistd.h>

int main(void) {
  int fds[2];
  char c;
  if (pipe(fds) < 0)
    return 1;
#if CLOSE_WRITE_END
  close(fds[1]);
#endif
  while (read(fds[0], &c, 1) > 0) {
  }
  return 0;
}

// Each helper is summarised once and its summary used at any depth: a
// chain of 20 helpers that borrow the write end of 'leaky' is followed to
// its end in either order of the callers ('uses_h19' asks for h19's summary
// first in the backward file). A chain of 60 is deeper than summaries nest
// while they are computed (FunctionSummaries::MaxDepth, which keeps the C++
// stack safe): the end is handed off and 'leaky' stays silent, in either
// order, without a crash.
//
// RUN: %python %repo_root/bench/stress/gen.py chain_forward 20 > %t.f20.c
// RUN: %python %repo_root/bench/stress/gen.py chain_backward 20 > %t.b20.c
// RUN: %python %repo_root/bench/stress/gen.py chain_forward 60 > %t.f60.c
// RUN: %python %repo_root/bench/stress/gen.py chain_backward 60 > %t.b60.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.f20.c -- 2>&1 | FileCheck %s --check-prefix=FOUND --implicit-check-not='warning:'
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.b20.c -- 2>&1 | FileCheck %s --check-prefix=FOUND --implicit-check-not='warning:'
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.f60.c -- 2>&1 | FileCheck %s --check-prefix=DEEP --implicit-check-not='warning:'
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.b60.c -- 2>&1 | FileCheck %s --check-prefix=DEEP --implicit-check-not='warning:'
//
// FOUND: warning: write end 'pl[1]' of the pipe is still open when 'leaky' returns here
// DEEP-DAG: pipe-tidy-stats: {{.*}}'leaky'
// DEEP-DAG: pipe-tidy-stats: {{.*}}'uses_h59'

// The shapes of the stress suite (bench/stress/gen.py), small: each plants
// one leak (the write end 'pl[1]' of a pipe a forked child reads) in a
// function that otherwise closes every end it makes. The planted finding
// must be reported, and nothing else. The timings are in bench/stress/run.py;
// this test only keeps the findings from regressing. The two shapes with
// places three selectors deep are in stress-planted-deep.c.
//
// RUN: %python %repo_root/bench/stress/gen.py goto_cascade 120 > %t.goto_cascade.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.goto_cascade.c -- 2>&1 | FileCheck %s --check-prefix=GOTO --implicit-check-not='warning:'
// GOTO: warning: write end 'pl[1]' of the pipe is still open when 'stress_goto_cascade' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py loop_pipes 120 > %t.loop_pipes.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.loop_pipes.c -- 2>&1 | FileCheck %s --check-prefix=LOOP --implicit-check-not='warning:'
// LOOP: warning: write end 'pl[1]' of the pipe is still open when 'stress_loop_pipes' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py straight_open 120 > %t.straight_open.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.straight_open.c -- 2>&1 | FileCheck %s --check-prefix=STRAIGHT --implicit-check-not='warning:'
// STRAIGHT: warning: write end 'pl[1]' of the pipe is still open when 'stress_straight_open' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py cascade_create 120 > %t.cascade_create.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.cascade_create.c -- 2>&1 | FileCheck %s --check-prefix=CASCADE --implicit-check-not='warning:'
// CASCADE: warning: write end 'pl[1]' of the pipe is still open when 'stress_cascade_create' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py fds_array 120 > %t.fds_array.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.fds_array.c -- 2>&1 | FileCheck %s --check-prefix=FDS --implicit-check-not='warning:'
// FDS: warning: write end 'pl[1]' of the pipe is still open when 'stress_fds_array' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py and_chain 300 > %t.and_chain.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.and_chain.c -- 2>&1 | FileCheck %s --check-prefix=AND --implicit-check-not='warning:'
// AND: warning: write end 'pl[1]' of the pipe is still open when 'stress_and_chain' returns here

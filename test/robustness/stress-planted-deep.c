// The stress shapes whose ends live three selectors deep (`ps[i].fd[1]`,
// `d[i].b.c.fd[1]`; see stress-planted.c). The engine does not follow such
// places: the ends are given up on (never reported), not left open with no
// name, so the planted leak is the only finding.
//
// RUN: %python %repo_root/bench/stress/gen.py struct_fd 120 > %t.struct_fd.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.struct_fd.c -- 2>&1 | FileCheck %s --check-prefix=STRUCT --implicit-check-not='warning:'
// STRUCT: warning: write end 'pl[1]' of the pipe is still open when 'stress_struct_fd' returns here
//
// RUN: %python %repo_root/bench/stress/gen.py deep_places 120 > %t.deep_places.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.deep_places.c -- 2>&1 | FileCheck %s --check-prefix=DEEP --implicit-check-not='warning:'
// DEEP: warning: write end 'pl[1]' of the pipe is still open when 'stress_deep_places' returns here

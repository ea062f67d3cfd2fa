// A helper chain five deep (h1 -> ... -> h5, which writes) borrows the write
// end of 'leaky'; 'uses_h4' asks for h4's summary directly. The finding in
// 'leaky' must not depend on which of the two functions comes first: a
// summary that was cut by the depth bound used to be cached, so one order
// hid the leak and the other reported it.
//
// RUN: %python %repo_root/bench/stress/gen.py chain_forward 1 > %t.forward.c
// RUN: %python %repo_root/bench/stress/gen.py chain_backward 1 > %t.backward.c
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.forward.c -- 2>&1 | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.backward.c -- 2>&1 | FileCheck %s --implicit-check-not='warning:'
// CHECK: warning: write end 'pl[1]' of the pipe is still open when 'leaky' returns here

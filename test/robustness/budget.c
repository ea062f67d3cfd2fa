// The budget degrades before it gives up, and says so. The same generated
// function of loops that each make, write and close a pipe
// (bench/stress/gen.py loop_pipes) at three budgets (a goto cascade no
// longer serves: with states that share their maps its widened pass costs
// what its full one does, so no budget lets the first run out and the
// second finish):
// - the default: the full analysis, no mark in the statistics;
// - 5 work units per element: past the first allowance the function is
//   widened to one state per block and analysed again; the planted leak
//   is still reported, nothing else is, and the statistics say `degraded';
// - 1 unit: past the second allowance too; nothing is reported, the
//   statistics say `gave-up', and with WarnOnBudgetExhausted one warning
//   (one, though six checks share the analysis) says so at the function.
//
// RUN: %python %repo_root/bench/stress/gen.py loop_pipes 120 > %t.c
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.c -- 2>&1 | FileCheck %s --check-prefix=FULL --implicit-check-not='warning:'
// FULL: pipe-tidy-stats: {{.*}}'stress_loop_pipes' {{.*}} sizeof-state={{[0-9]+}}{{$}}
// FULL: warning: write end 'pl[1]' of the pipe is still open when 'stress_loop_pipes' returns here
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 5}, {key: WarnOnBudgetExhausted, value: true}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=DEGRADED --implicit-check-not='warning:'
// DEGRADED: pipe-tidy-stats: {{.*}}'stress_loop_pipes' {{.*}} over-budget degraded{{$}}
// DEGRADED: warning: write end 'pl[1]' of the pipe is still open when 'stress_loop_pipes' returns here
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 1}, {key: WarnOnBudgetExhausted, value: true}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=GAVEUP --implicit-check-not='warning:'
// GAVEUP: pipe-tidy-stats: {{.*}}'stress_loop_pipes' {{.*}} calls=0 exits=0 {{.*}} over-budget degraded gave-up{{$}}
// GAVEUP: :5:5: warning: pipe-tidy gave up on this function: its analysis ran past AnalysisBudget (1 work units per CFG element) even after widening; findings in it are not reported [pipe-
//
// Without the option: quiet, except for the statistics.
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 1}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=QUIET --implicit-check-not='warning:'
// QUIET: pipe-tidy-stats: {{.*}}'stress_loop_pipes' {{.*}} over-budget degraded gave-up{{$}}

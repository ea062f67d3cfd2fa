// The budget degrades before it gives up, and says so. The same generated
// kernel-style goto cascade (bench/stress/gen.py) at three budgets:
// - the default: the full analysis, no mark in the statistics;
// - 5 work units per element: past the first allowance the function is
//   widened to one state per block and analysed again; the planted leak
//   is still reported, nothing else is, and the statistics say `degraded';
// - 1 unit: past the second allowance too; nothing is reported, the
//   statistics say `gave-up', and with WarnOnBudgetExhausted one warning
//   (one, though six checks share the analysis) says so at the function.
//
// RUN: %python %repo_root/bench/stress/gen.py goto_cascade 120 > %t.c
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' %t.c -- 2>&1 | FileCheck %s --check-prefix=FULL --implicit-check-not='warning:'
// FULL: pipe-tidy-stats: {{.*}}'stress_goto_cascade' {{.*}} sizeof-state={{[0-9]+}}{{$}}
// FULL: warning: write end 'pl[1]' of the pipe is still open when 'stress_goto_cascade' returns here
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 5}, {key: WarnOnBudgetExhausted, value: true}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=DEGRADED --implicit-check-not='warning:'
// DEGRADED: pipe-tidy-stats: {{.*}}'stress_goto_cascade' {{.*}} over-budget degraded{{$}}
// DEGRADED: warning: write end 'pl[1]' of the pipe is still open when 'stress_goto_cascade' returns here
//
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 1}, {key: WarnOnBudgetExhausted, value: true}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=GAVEUP --implicit-check-not='warning:'
// GAVEUP: pipe-tidy-stats: {{.*}}'stress_goto_cascade' {{.*}} calls=0 exits=0 {{.*}} over-budget degraded gave-up{{$}}
// GAVEUP: :5:5: warning: pipe-tidy gave up on this function: its analysis ran past AnalysisBudget (1 work units per CFG element) even after widening; findings in it are not reported [pipe-
//
// Without the option: quiet, except for the statistics.
// RUN: env PIPE_TIDY_STATS=1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config='{CheckOptions: [{key: AnalysisBudget, value: 1}]}' %t.c -- 2>&1 | FileCheck %s --check-prefix=QUIET --implicit-check-not='warning:'
// QUIET: pipe-tidy-stats: {{.*}}'stress_goto_cascade' {{.*}} over-budget degraded gave-up{{$}}

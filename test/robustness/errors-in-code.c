// Code that does not compile gets no pipe-* findings: the checks run on the
// AST clang recovered, which says less than the code does (a statement
// dropped, a call unresolved, a function cut short), so a leak "found"
// there is an artefact of the error. By default a translation unit with an
// error gets none at all; with ReportOnErrors=true the intact functions are
// analysed, never a function whose own body has errors. Each input has an
// intact function and a broken one, both with a planted leak; -DFIXED makes
// it compile, and then both leaks are reported (the control: without it
// the absence of findings would prove nothing).
//
// With ReportOnErrors, a broken function is skipped when its AST shows the
// error (cut-off, missing-header, undeclared-identifier, undeclared-member);
// the errors of syntax-error, stray-brace and undeclared-type leave no trace
// in the function's AST (docs/options.md), so there only the intact
// function's finding is required.
//
// Exit statuses are checked as numbers: a crash (134, 139) fails the test.
//
// ---- undeclared-type.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-type.c -- -std=gnu11 > %t.ut.out 2>&1; echo "exit status $?"' > %t.ut.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.ut.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.ut.out
// RUN: not grep -F '[pipe-' %t.ut.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/undeclared-type.c -- -std=gnu11 > %t.ut.opt 2>&1; echo "exit status $?"' > %t.ut.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.ut.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --input-file=%t.ut.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-type.c -- -std=gnu11 -DFIXED > %t.ut.fixed 2>&1; echo "exit status $?"' > %t.ut.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.ut.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.ut.fixed
// ---- undeclared-identifier.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-identifier.c -- -std=gnu11 > %t.ui.out 2>&1; echo "exit status $?"' > %t.ui.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.ui.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.ui.out
// RUN: not grep -F '[pipe-' %t.ui.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/undeclared-identifier.c -- -std=gnu11 > %t.ui.opt 2>&1; echo "exit status $?"' > %t.ui.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.ui.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --implicit-check-not='[pipe-' --input-file=%t.ui.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-identifier.c -- -std=gnu11 -DFIXED > %t.ui.fixed 2>&1; echo "exit status $?"' > %t.ui.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.ui.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.ui.fixed
// ---- missing-header.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/missing-header.c -- -std=gnu11 > %t.mh.out 2>&1; echo "exit status $?"' > %t.mh.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.mh.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.mh.out
// RUN: not grep -F '[pipe-' %t.mh.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/missing-header.c -- -std=gnu11 > %t.mh.opt 2>&1; echo "exit status $?"' > %t.mh.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.mh.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --implicit-check-not='[pipe-' --input-file=%t.mh.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/missing-header.c -- -std=gnu11 -DFIXED > %t.mh.fixed 2>&1; echo "exit status $?"' > %t.mh.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.mh.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.mh.fixed
// ---- syntax-error.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/syntax-error.c -- -std=gnu11 > %t.se.out 2>&1; echo "exit status $?"' > %t.se.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.se.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.se.out
// RUN: not grep -F '[pipe-' %t.se.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/syntax-error.c -- -std=gnu11 > %t.se.opt 2>&1; echo "exit status $?"' > %t.se.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.se.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --input-file=%t.se.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/syntax-error.c -- -std=gnu11 -DFIXED > %t.se.fixed 2>&1; echo "exit status $?"' > %t.se.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.se.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.se.fixed
// ---- stray-brace.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/stray-brace.c -- -std=gnu11 > %t.sb.out 2>&1; echo "exit status $?"' > %t.sb.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.sb.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.sb.out
// RUN: not grep -F '[pipe-' %t.sb.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/stray-brace.c -- -std=gnu11 > %t.sb.opt 2>&1; echo "exit status $?"' > %t.sb.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.sb.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --input-file=%t.sb.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/stray-brace.c -- -std=gnu11 -DFIXED > %t.sb.fixed 2>&1; echo "exit status $?"' > %t.sb.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.sb.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.sb.fixed
// ---- cut-off.c
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/cut-off.c -- -std=gnu11 > %t.co.out 2>&1; echo "exit status $?"' > %t.co.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.co.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.co.out
// RUN: not grep -F '[pipe-' %t.co.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/cut-off.c -- -std=gnu11 > %t.co.opt 2>&1; echo "exit status $?"' > %t.co.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.co.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --implicit-check-not='[pipe-' --input-file=%t.co.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/cut-off.c -- -std=gnu11 -DFIXED > %t.co.fixed 2>&1; echo "exit status $?"' > %t.co.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.co.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.co.fixed
// ---- undeclared-member.cpp
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-member.cpp -- -std=c++17 > %t.um.out 2>&1; echo "exit status $?"' > %t.um.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.um.status
// RUN: FileCheck %s --check-prefix=ERROR --input-file=%t.um.out
// RUN: not grep -F '[pipe-' %t.um.out
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: true}]}" %S/Inputs/errors/undeclared-member.cpp -- -std=c++17 > %t.um.opt 2>&1; echo "exit status $?"' > %t.um.opt.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.um.opt.status
// RUN: FileCheck %s --check-prefix=INTACT --implicit-check-not='[pipe-' --input-file=%t.um.opt
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" %S/Inputs/errors/undeclared-member.cpp -- -std=c++17 -DFIXED > %t.um.fixed 2>&1; echo "exit status $?"' > %t.um.fixed.status
// RUN: FileCheck %s --check-prefix=PASSES --input-file=%t.um.fixed.status
// RUN: FileCheck %s --check-prefix=BOTH --input-file=%t.um.fixed
//
// Findings turned into errors by -warnings-as-errors are not compiler
// errors: the second function is still analysed after the first finding.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -warnings-as-errors="pipe-*" %S/Inputs/errors/undeclared-type.c -- -std=gnu11 -DFIXED > %t.wae 2>&1; echo "exit status $?"' > %t.wae.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.wae.status
// RUN: FileCheck %s --check-prefix=BOTH-AS-ERRORS --input-file=%t.wae
//
// A value that is not a bool is reported with the option's name, and the
// default (false) stays in force.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ReportOnErrors, value: maybe}]}" %S/Inputs/errors/undeclared-identifier.c -- -std=gnu11 > %t.bad 2>&1; echo "exit status $?"' > %t.bad.status
// RUN: FileCheck %s --check-prefix=FAILS --input-file=%t.bad.status
// RUN: FileCheck %s --check-prefix=BADVALUE --implicit-check-not='[pipe-' --input-file=%t.bad
// BADVALUE: error: invalid value 'maybe' for option 'ReportOnErrors': expected 'true' or 'false' [clang-tidy-config]
// FAILS: {{^}}exit status 1{{$}}
// PASSES: {{^}}exit status 0{{$}}
// ERROR: error:
// INTACT: warning: write end 'p[1]' of the pipe is still open when 'intact_leaks' returns here{{.*}}[pipe-unclosed-write-end]
// BOTH-DAG: warning: write end 'p[1]' of the pipe is still open when 'intact_leaks' returns here{{.*}}[pipe-unclosed-write-end]
// BOTH-DAG: warning: write end 'p[1]' of the pipe is still open when '{{(Spawner::)?}}broken_leaks' returns here{{.*}}[pipe-unclosed-write-end]
// BOTH-AS-ERRORS-DAG: error: write end 'p[1]' of the pipe is still open when 'intact_leaks' returns here{{.*}}[pipe-unclosed-write-end,-warnings-as-errors]
// BOTH-AS-ERRORS-DAG: error: write end 'p[1]' of the pipe is still open when 'broken_leaks' returns here{{.*}}[pipe-unclosed-write-end,-warnings-as-errors]

// The HTML report of a file with many findings: 150 functions, each with a
// read that blocks forever and a write end left open (300 findings). Every
// finding gets its page; in a file longer than --whole-file-lines the page
// shows the lines around the path (--context) and says which are left out.
// The index counts them per check and per file.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "print('#include <unistd.h>'); [print('int token_%%d(void) {\n  int fds[2];\n  char c;\n  if (pipe(fds) != 0)\n    return -1;\n  return (int)read(fds[0], &c, 1);\n}' %% i) for i in range(150)]" > %t/many.c
// RUN: cd %t && %clang_tidy --load=%plugin --config={} -checks='-*,pipe-*' many.c -- > %t/tidy.txt 2> /dev/null
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif -o %t/many.sarif %t/tidy.txt
// RUN: %python %repo_root/tools/pipe-tidy-html --sarif %t/many.sarif --out %t/report --whole-file-lines 500 --context 2 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// ERR: pipe-tidy-html: 300 findings: {{.*}}report/index.html
// RUN: ls %t/report/findings | count 300
// RUN: ls %t/report/findings | FileCheck %s --check-prefix=NAMES
// NAMES: 0001.html
// NAMES: 0300.html
//
// RUN: %python %S/../tools/html_dom.py %t/report/index.html | FileCheck %s --check-prefix=INDEX --match-full-lines
// INDEX: check pipe-self-deadlock 150 -> file://{{.*}}/docs/checks/pipe-self-deadlock.md
// INDEX-NEXT: check pipe-unclosed-write-end 150 -> file://{{.*}}/docs/checks/pipe-unclosed-write-end.md
// INDEX-NEXT: row #1 many.c:7 pipe-unclosed-write-end -> findings/0001.html
// INDEX-NEXT: row #2 many.c:7 pipe-self-deadlock -> findings/0002.html
// INDEX-NEXT: row #3 many.c:14 pipe-unclosed-write-end -> findings/0003.html
// INDEX: row #300 many.c:1050 pipe-self-deadlock -> findings/0300.html
// RUN: FileCheck %s --check-prefix=COUNTS < %t/report/index.html
// COUNTS: <h1>pipe-tidy: 300 findings in 1 file</h1>
// COUNTS: <tr data-file="many.c"><td><a href="#file-many.c">many.c</a></td><td class="n">300</td><td class="n">150</td><td class="n">150</td></tr>
//
// The last finding's page: the lines around its two steps, the rest left
// out and said so.
// RUN: %python %S/../tools/html_dom.py %t/report/findings/0300.html | FileCheck %s --check-prefix=LAST --match-full-lines
// LAST: many.c: lines 1–1045 not shown
// LAST-NEXT: many.c:1048 step 1 note: pipe created here
// LAST-NEXT: many.c:1050 highlighted
// LAST-NEXT: many.c:1050 step 2 warning: read from 'fds[0]' blocks forever: {{.*}}
// RUN: FileCheck %s --check-prefix=LASTROWS < %t/report/findings/0300.html
// LASTROWS: Finding 300 of 300
// LASTROWS-NOT: <tr id="L1045"
// LASTROWS: <tr id="L1046"
// LASTROWS: <tr id="L1051"
// A page in the middle has a gap on both sides: finding 151 is the first of
// token_75, whose lines are 527 to 533 (pipe() on 530, the return on 532):
// RUN: %python %S/../tools/html_dom.py %t/report/findings/0151.html | FileCheck %s --check-prefix=MIDDLE --match-full-lines
// MIDDLE: many.c: lines 1–527 not shown
// MIDDLE-NEXT: many.c:530 step 1 note: pipe created here
// MIDDLE-NEXT: many.c:532 highlighted
// MIDDLE-NEXT: many.c:532 step 2 warning: 'token_75' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}}
// MIDDLE-NEXT: many.c: lines 535–1051 not shown
// Shorter than --whole-file-lines, the file is on the page whole, the lines
// more than --context (15) away from the path folded:
// RUN: %python %repo_root/tools/pipe-tidy-html --sarif %t/many.sarif --out %t/whole 2> /dev/null
// RUN: FileCheck %s --check-prefix=WHOLE --implicit-check-not='not shown' < %t/whole/findings/0151.html
// WHOLE: <tr id="L1" data-line="1">
// WHOLE: <tr id="L1051" data-line="1051">
// RUN: %python %S/../tools/html_dom.py %t/whole/findings/0151.html | FileCheck %s --check-prefix=FOLDED --match-full-lines
// FOLDED: many.c: lines 1–514 folded
// FOLDED-NEXT: many.c:530 step 1 note: pipe created here
// FOLDED-NEXT: many.c:532 highlighted
// FOLDED-NEXT: many.c:532 step 2 warning: 'token_75' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}}
// FOLDED-NEXT: many.c: lines 548–1051 folded
//
// A report written again into the same directory keeps no page of the
// earlier one:
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); d['runs'][0]['results'] = d['runs'][0]['results'][:5]; json.dump(d, open(sys.argv[2], 'w'))" %t/many.sarif %t/five.sarif
// RUN: %python %repo_root/tools/pipe-tidy-html --sarif %t/five.sarif --out %t/report 2> /dev/null
// RUN: ls %t/report/findings | count 5
// RUN: FileCheck %s --check-prefix=FIVE < %t/report/index.html
// FIVE: <h1>pipe-tidy: 5 findings in 1 file</h1>

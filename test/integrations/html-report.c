// The HTML report: `pipe-tidy --html DIR` (and `pipe-tidy-html --sarif LOG
// --out DIR`) writes DIR/index.html and a page per finding from the SARIF
// log. The pages are rendered in headless Chromium (Debian package
// chromium), and what the browser built is read back from its DOM: the path
// notes as numbered bubbles under the right source lines, the warning's line
// highlighted, the fix-it, the index's counts, links and sorting.
//
// REQUIRES: chromium
// RUN: rm -rf %t && mkdir -p %t/src %t/clean && cp %s %t/src/html-report.c
// RUN: cd %t && %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --html %t/report --config={} -checks='-*,pipe-*' src/html-report.c -- > %t/text.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// ERR: {{[0-9]+}} pipe checks active
// ERR: pipe-tidy: HTML report of 3 findings: {{.*}}report/index.html
// RUN: %pipe_tidy --help | FileCheck %s --check-prefix=HELP
// HELP: --html DIR          also write an HTML report to DIR
// HELP: 4 --sarif could not write its log, or --html its report
//
// The normal output is still printed, and the SARIF log the report was made
// from stays next to it:
// RUN: FileCheck %s --check-prefix=TEXT < %t/text.txt
// TEXT: html-report.c:[[@LINE+188]]:3: warning: 'wait_for_token' leaks the write end 'fds[1]'
// RUN: ls %t/report %t/report/findings | FileCheck %s --check-prefix=FILES
// FILES: findings
// FILES-NEXT: index.html
// FILES-NEXT: pipe-tidy.sarif
// FILES: 0001.html
// FILES-NEXT: 0002.html
// FILES-NEXT: 0003.html
// RUN: ls %t/report/findings | count 3
//
// The page of the third finding (findings are numbered by file and line),
// as Chromium renders it: a bubble under each line of the path, numbered in
// the order of the path, the warning's line highlighted with the warning's
// own bubble, and the fix-it under the line it changes. The lines more than
// 15 (--context) away from the path are folded:
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --dump-dom file://%t/report/findings/0003.html > %t/dom3.html 2> %t/chrome.err
// RUN: %python %S/../tools/html_dom.py %t/dom3.html | FileCheck %s --check-prefix=PAGE3 --match-full-lines --implicit-check-not=src/
// PAGE3: src/html-report.c: lines 1–[[@LINE+160]] folded
// PAGE3-NEXT: src/html-report.c:[[@LINE+175]] step 1 note: pipe created here
// PAGE3-NEXT: src/html-report.c:[[@LINE+177]] step 2 note: taking the true branch
// PAGE3-NEXT: src/html-report.c:[[@LINE+178]] highlighted
// PAGE3-NEXT: src/html-report.c:[[@LINE+177]] step 3 warning: write end 'fds[1]' of the pipe is still open when 'send_greeting' returns here; readers of the pipe never see end-of-file and block forever; close it on this path
// PAGE3-NEXT: src/html-report.c:[[@LINE+176]] fix: insert “close(fds[1]); ”
// RUN: FileCheck %s --check-prefix=HEAD3 < %t/dom3.html
// HEAD3: <title>pipe-unclosed-write-end: write end 'fds[1]' of the pipe is still open when 'send_greeting' returns here;
// HEAD3: Finding 3 of 3
// HEAD3: <a href="../index.html#f3">index</a>
// HEAD3: <a rel="prev" href="../findings/0002.html">
// HEAD3: <a class="rule" href="file://{{.*}}/docs/checks/pipe-unclosed-write-end.md">pipe-unclosed-write-end</a>
// HEAD3: <div class="fixbox" id="fix">
// HEAD3: <span class="del">-     return -1; // @M(ret2)</span><span class="add">+     close(fds[1]); return -1; // @M(ret2)</span>
//
// The first finding's page: two steps, on lines that another finding shares.
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --dump-dom file://%t/report/findings/0002.html > %t/dom2.html 2>> %t/chrome.err
// RUN: %python %S/../tools/html_dom.py %t/dom2.html | FileCheck %s --check-prefix=PAGE2 --match-full-lines --implicit-check-not=src/
// PAGE2: src/html-report.c: lines 1–[[@LINE+135]] folded
// PAGE2-NEXT: src/html-report.c:[[@LINE+150]] step 1 note: pipe created here
// PAGE2-NEXT: src/html-report.c:[[@LINE+151]] highlighted
// PAGE2-NEXT: src/html-report.c:[[@LINE+150]] step 2 warning: read from 'fds[0]' blocks forever: {{.*}}
//
// The source is escaped: the comment below shows as text, and the browser
// made no script element of it (the finding pages have none at all).
// RUN: FileCheck %s --check-prefix=ESCAPED < %t/dom3.html
// ESCAPED: A comment the report must escape: &lt;script&gt;alert("x")&lt;/script&gt; &amp; more.
// RUN: not grep -n '<script' %t/dom3.html
// RUN: not grep -n '<script' %t/report/findings/0001.html
//
// Every page is self-contained: no stylesheet, image, frame, script or font
// that is loaded from elsewhere.
// RUN: %python %S/../tools/html_dom.py --resources %t/report/index.html %t/report/findings/0001.html %t/report/findings/0002.html %t/report/findings/0003.html | FileCheck %s --check-prefix=SELF --implicit-check-not=loads
// SELF: index.html: self-contained
// SELF-NEXT: 0001.html: self-contained
// SELF-NEXT: 0002.html: self-contained
// SELF-NEXT: 0003.html: self-contained
// The reader is not a formality: a stylesheet link is found.
// RUN: sed 's|<head>|<head><link rel="stylesheet" href="https://example.org/a.css">|' %t/report/index.html > %t/linked.html
// RUN: %python %S/../tools/html_dom.py --resources %t/linked.html | FileCheck %s --check-prefix=LINKED
// LINKED: linked.html: loads <link {{.*}}https://example.org/a.css
//
// The index: counts per check, each check linked to its page; counts per
// file; the findings grouped by file in line order, each linked to its page.
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --dump-dom file://%t/report/index.html > %t/index.html 2>> %t/chrome.err
// RUN: %python %S/../tools/html_dom.py %t/index.html | FileCheck %s --check-prefix=INDEX --match-full-lines --implicit-check-not=row
// INDEX: check pipe-unclosed-write-end 2 -> file://{{.*}}/docs/checks/pipe-unclosed-write-end.md
// INDEX-NEXT: check pipe-self-deadlock 1 -> file://{{.*}}/docs/checks/pipe-self-deadlock.md
// INDEX-NEXT: row #1 src/html-report.c:[[@LINE+123]] pipe-unclosed-write-end -> findings/0001.html
// INDEX-NEXT: row #2 src/html-report.c:[[@LINE+122]] pipe-self-deadlock -> findings/0002.html
// INDEX-NEXT: row #3 src/html-report.c:[[@LINE+131]] pipe-unclosed-write-end -> findings/0003.html
// RUN: FileCheck %s --check-prefix=COUNTS < %t/index.html
// COUNTS: <h1>pipe-tidy: 3 findings in 1 file</h1>
// COUNTS-NEXT: From the SARIF log <a href="pipe-tidy.sarif">pipe-tidy.sarif</a> (pipe-tidy {{[0-9.]+}}).
// COUNTS: <tr data-file="src/html-report.c"><td><a href="#file-src-html-report.c">src/html-report.c</a></td><td class="n">3</td><td class="n">1</td><td class="n">2</td></tr>
//
// The index's script sorts the table (the URL says by which column, as a
// click on a heading does): by line, last first; equal lines in the order of
// the findings.
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --dump-dom 'file://%t/report/index.html#sort=-line' > %t/sorted.html 2>> %t/chrome.err
// RUN: %python %S/../tools/html_dom.py %t/sorted.html | FileCheck %s --check-prefix=SORTED --match-full-lines
// SORTED: sorted by line descending
// SORTED-NEXT: row #3 src/html-report.c:[[@LINE+119]] pipe-unclosed-write-end -> findings/0003.html
// SORTED-NEXT: row #1 src/html-report.c:[[@LINE+108]] pipe-unclosed-write-end -> findings/0001.html
// SORTED-NEXT: row #2 src/html-report.c:[[@LINE+107]] pipe-self-deadlock -> findings/0002.html
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --dump-dom 'file://%t/report/index.html#sort=check' > %t/by-check.html 2>> %t/chrome.err
// RUN: %python %S/../tools/html_dom.py %t/by-check.html | FileCheck %s --check-prefix=BYCHECK --match-full-lines
// BYCHECK: sorted by check ascending
// BYCHECK-NEXT: row #2 src/html-report.c:[[@LINE+103]] pipe-self-deadlock -> findings/0002.html
// BYCHECK-NEXT: row #1 src/html-report.c:[[@LINE+102]] pipe-unclosed-write-end -> findings/0001.html
// BYCHECK-NEXT: row #3 src/html-report.c:[[@LINE+111]] pipe-unclosed-write-end -> findings/0003.html
//
// A screenshot of the page is an image of the window's size:
// RUN: chromium --headless --disable-gpu --no-sandbox --user-data-dir=%t/chrome --window-size=1200,1400 --screenshot=%t/finding3.png file://%t/report/findings/0003.html 2>> %t/chrome.err
// RUN: %python -c "import struct, sys; d = open(sys.argv[1], 'rb').read(); print(d[:8] == b'\x89PNG\r\n\x1a\n', struct.unpack('>II', d[16:24]), len(d) > 20000)" %t/finding3.png | FileCheck %s --check-prefix=PNG
// PNG: True (1200, 1400) True
//
// pipe-tidy-html renders a saved log by itself. --source-root reads the
// sources from elsewhere (here a copy whose comment says so):
// RUN: mkdir -p %t/elsewhere/src && sed 's/A comment the report/A moved comment the report/' %s > %t/elsewhere/src/html-report.c
// RUN: %python %repo_root/tools/pipe-tidy-html --sarif %t/report/pipe-tidy.sarif --out %t/moved --source-root %t/elsewhere 2> %t/moved.err
// RUN: FileCheck %s --check-prefix=MOVED < %t/moved.err
// MOVED: pipe-tidy-html: 3 findings: {{.*}}moved/index.html
// RUN: FileCheck %s --check-prefix=MOVEDPAGE < %t/moved/findings/0003.html
// MOVEDPAGE: A moved comment the report must escape
// A source that cannot be read is said so, on standard error and on the
// page, which still lists the path:
// RUN: mkdir -p %t/empty && %python %repo_root/tools/pipe-tidy-html --sarif %t/report/pipe-tidy.sarif --out %t/nosource --source-root %t/empty 2> %t/nosource.err
// RUN: FileCheck %s --check-prefix=NOSOURCE < %t/nosource.err
// NOSOURCE: pipe-tidy-html: warning: cannot read the source {{.*}}empty/src/html-report.c; its findings are shown without it (give --source-root DIR)
// RUN: FileCheck %s --check-prefix=NOSOURCEPAGE < %t/nosource/findings/0003.html
// NOSOURCEPAGE: src/html-report.c:[[@LINE+88]]</code> taking the true branch
// NOSOURCEPAGE: The source of src/html-report.c could not be read
//
// Notes in another file get that file's source below the finding's, and a
// note without a place is listed above the source (the log is edited to
// have both: the first step of finding 3 moved into a header):
// RUN: printf '/* other.h */\nstatic int fds_in_header;\n' > %t/src/other.h
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); r = d['runs'][0]['results'][2]; p = r['codeFlows'][0]['threadFlows'][0]['locations'][0]['location']['physicalLocation']; p['artifactLocation']['uri'] = 'src/other.h'; p['region'] = {'startLine': 2, 'startColumn': 12}; r['relatedLocations'].append({'id': 9, 'message': {'text': 'a note without a place'}}); json.dump(d, open(sys.argv[2], 'w'))" %t/report/pipe-tidy.sarif %t/other.sarif
// RUN: %python %repo_root/tools/pipe-tidy-html --sarif %t/other.sarif --out %t/other 2> /dev/null
// RUN: %python %S/../tools/html_dom.py %t/other/findings/0003.html | FileCheck %s --check-prefix=OTHER --match-full-lines --implicit-check-not=src/
// OTHER: src/html-report.c: lines 1–[[@LINE+62]] folded
// OTHER-NEXT: src/html-report.c:[[@LINE+77]] step 2 note: taking the true branch
// OTHER-NEXT: src/html-report.c:[[@LINE+78]] highlighted
// OTHER-NEXT: src/html-report.c:[[@LINE+77]] step 3 warning: write end {{.*}}
// OTHER-NEXT: src/html-report.c:[[@LINE+76]] fix: insert “close(fds[1]); ”
// OTHER-NEXT: src/other.h:2 step 1 note: pipe created here
// RUN: FileCheck %s --check-prefix=OTHERPAGE < %t/other/findings/0003.html
// OTHERPAGE: <code>src/other.h:2</code> pipe created here</li>
// OTHERPAGE: <ul class="notes"><li>a note without a place</li></ul>
// OTHERPAGE: <h2 class="file">src/html-report.c</h2>
// OTHERPAGE: <h2 class="file">src/other.h</h2>
// OTHERPAGE-NEXT: <table class="src" data-file="src/other.h">
// OTHERPAGE-NEXT: <tr id="L1" data-line="1"><td class="ln"><a href="#L1">1</a></td><td class="code">/* other.h */</td></tr>
//
// Bad input fails loudly (exit status 2), naming what is wrong:
// RUN: printf 'not json' > %t/bad.sarif
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/bad.sarif --out %t/bad 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: pipe-tidy-html: error: {{.*}}bad.sarif is not JSON, so not a SARIF log
// RUN: printf '{"version": "2.1.0"}' > %t/noruns.sarif
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/noruns.sarif --out %t/bad 2>&1 | FileCheck %s --check-prefix=NORUNS
// NORUNS: pipe-tidy-html: error: {{.*}}noruns.sarif is not a SARIF log: it has no 'runs' array
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/missing.sarif --out %t/bad 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: pipe-tidy-html: error: cannot read the SARIF log {{.*}}missing.sarif: No such file or directory
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/report/pipe-tidy.sarif --out %t/text.txt 2>&1 | FileCheck %s --check-prefix=OUTFILE
// OUTFILE: pipe-tidy-html: error: --out {{.*}}text.txt exists and is not a directory
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/report/pipe-tidy.sarif 2>&1 | FileCheck %s --check-prefix=NOOUT
// NOOUT: pipe-tidy-html: error: the following arguments are required: --out
// RUN: %expect_exit 2 %python %repo_root/tools/pipe-tidy-html --sarif %t/report/pipe-tidy.sarif --out %t/bad --context -1 2>&1 | FileCheck %s --check-prefix=CONTEXT
// CONTEXT: pipe-tidy-html: error: --context must be 0 or more, not -1
//
// No findings: an index that says so.
// RUN: printf '#include <unistd.h>\nint f(void) { return 0; }\n' > %t/clean/clean.c
// RUN: cd %t/clean && %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --html %t/clean-report --config={} -checks='-*,pipe-*' clean.c -- > /dev/null 2> %t/clean.err
// RUN: FileCheck %s --check-prefix=CLEAN < %t/clean.err
// CLEAN: pipe-tidy: HTML report of 0 findings: {{.*}}clean-report/index.html
// RUN: FileCheck %s --check-prefix=CLEANINDEX < %t/clean-report/index.html
// CLEANINDEX: <h1>pipe-tidy: 0 findings in 0 files</h1>
// CLEANINDEX: No findings.
//
// Installed: the wrapper finds pipe-tidy-html next to itself, and keeps the
// SARIF log where --sarif says when both are given. Without pipe-tidy-html
// next to it, --html fails (exit status 4) before clang-tidy runs.
// RUN: mkdir -p %t/prefix/bin %t/prefix/share/doc && cp %repo_root/tools/pipe-tidy %repo_root/tools/pipe-tidy-sarif %repo_root/tools/pipe-tidy-html %t/prefix/bin/ && cp -r %repo_root/docs %t/prefix/share/doc/pipe-tidy
// RUN: cd %t && %python %t/prefix/bin/pipe-tidy --clang-tidy %clang_tidy --plugin %plugin --no-verify --sarif %t/both.sarif --html %t/both --config={} -checks='-*,pipe-self-deadlock' src/html-report.c -- > /dev/null 2> %t/both.err
// RUN: FileCheck %s --check-prefix=BOTH < %t/both.err
// BOTH: pipe-tidy: HTML report of 1 finding: {{.*}}both/index.html
// RUN: ls %t/both | FileCheck %s --check-prefix=BOTHFILES --implicit-check-not=pipe-tidy.sarif
// BOTHFILES: findings
// BOTHFILES: index.html
// RUN: FileCheck %s --check-prefix=BOTHLINK < %t/both/index.html
// BOTHLINK: href="file://{{.*}}/prefix/share/doc/pipe-tidy/checks/pipe-self-deadlock.md"
// A report directory that cannot be made is an error too (exit status 4):
// RUN: %expect_exit 4 %python %t/prefix/bin/pipe-tidy --clang-tidy %clang_tidy --plugin %plugin --no-verify --html %t/text.txt -checks='-*,pipe-*' src/html-report.c -- > %t/notdir.out 2>&1
// RUN: FileCheck %s --check-prefix=NOTDIR < %t/notdir.out --implicit-check-not=warning:
// NOTDIR: pipe-tidy: error: --html {{.*}}text.txt: cannot make the report's directory: File exists
// RUN: rm %t/prefix/bin/pipe-tidy-html
// RUN: %expect_exit 4 %python %t/prefix/bin/pipe-tidy --clang-tidy %clang_tidy --plugin %plugin --html %t/none -checks='-*,pipe-*' src/html-report.c -- > %t/none.out 2>&1
// RUN: FileCheck %s --check-prefix=NOHTML < %t/none.out --implicit-check-not=warning:
// NOHTML: pipe-tidy: error: --html needs {{.*}}prefix/bin/pipe-tidy-html, which is missing

// The @M(...) comments name the lines that the [[@LINE+N]] above point at.
#include <errno.h>
#include <unistd.h>

/* A comment the report must escape: <script>alert("x")</script> & more. */
int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0) // @M(pipe1)
    return -1;
  return (int)read(fds[0], &c, 1); // @M(ret1)
}

int send_greeting(int *rfd, const char *greeting, int n) {
  int fds[2];
  if (pipe(fds) < 0) // @M(pipe2)
    return -1;
  *rfd = fds[0];
  if (greeting == 0 || n < 0) { // @M(branch2)
    errno = EINVAL;
    return -1; // @M(ret2)
  }
	write(fds[1], greeting, 1); // a tab indents this line
  close(fds[1]);
  return 0;
}

// SARIF output: `pipe-tidy --sarif FILE` runs clang-tidy as usual and also
// writes its findings as a SARIF 2.1.0 log (tools/pipe-tidy-sarif converts
// clang-tidy's output). The log is validated against the official schema
// (test/Inputs/sarif/sarif-schema-2.1.0.json) and its key fields are checked.
//
// REQUIRES: jsonschema
// RUN: rm -rf %t && mkdir -p %t/src && cp %s %t/src/sarif.c
// RUN: cd %t && %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --sarif %t/out.sarif --config={} -checks='-*,pipe-*' src/sarif.c -- > %t/text.txt 2> %t/err.txt
//
// The normal output is still printed, and the wrapper still proves the
// checks active:
// RUN: FileCheck %s --check-prefix=TEXT < %t/text.txt
// TEXT: sarif.c:[[@LINE+178]]:3: warning: 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here
// TEXT: sarif.c:[[@LINE+177]]:15: warning: read from 'fds[0]' blocks forever
// RUN: FileCheck %s --check-prefix=ACTIVE < %t/err.txt
// ACTIVE: 6 pipe checks active
//
// The log is valid SARIF 2.1.0:
// RUN: %python %S/../tools/validate_sarif.py %t/out.sarif | FileCheck %s --check-prefix=VALID
// VALID: valid SARIF 2.1.0: 1 run, 3 results
//
// The validator is not a formality: a log without a property that the
// schema requires, with a level the schema does not know, or whose
// ruleIndex names another rule than its ruleId, is rejected.
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); del d['runs'][0]['tool']['driver']['name']; json.dump(d, open(sys.argv[2], 'w'))" %t/out.sarif %t/no-name.sarif
// RUN: %expect_exit 1 %python %S/../tools/validate_sarif.py %t/no-name.sarif 2>&1 | FileCheck %s --check-prefix=NONAME
// NONAME: invalid SARIF: runs/0/tool/driver: 'name' is a required property
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); d['runs'][0]['results'][0]['level'] = 'severe'; json.dump(d, open(sys.argv[2], 'w'))" %t/out.sarif %t/level.sarif
// RUN: %expect_exit 1 %python %S/../tools/validate_sarif.py %t/level.sarif 2>&1 | FileCheck %s --check-prefix=LEVEL
// LEVEL: invalid SARIF: runs/0/results/0/level: 'severe' is not one of ['none', 'note', 'warning', 'error']
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); d['runs'][0]['results'][0]['ruleIndex'] = 0; json.dump(d, open(sys.argv[2], 'w'))" %t/out.sarif %t/index.sarif
// RUN: %expect_exit 1 %python %S/../tools/validate_sarif.py %t/index.sarif 2>&1 | FileCheck %s --check-prefix=INDEX
// INDEX: invalid SARIF: runs[0].results[0].ruleIndex 0 is rule 'pipe-leaked-writer', not the ruleId 'pipe-unclosed-write-end'
//
// RUN: FileCheck %s --check-prefix=JSON < %t/out.sarif
// JSON: "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
// JSON-NEXT: "version": "2.1.0",
// JSON: "driver": {
// JSON-NEXT: "name": "pipe-tidy",
// JSON-NEXT: "version": "{{[0-9]+\.[0-9]+\.[0-9]+}}",
// JSON: "informationUri": "file://{{.*}}/docs/usage.md",
//
// One rule per pipe check, with the page's text and a link to the page:
// JSON: "id": "pipe-leaked-writer",
// JSON: "helpUri": "file://{{.*}}/docs/checks/pipe-leaked-writer.md",
// JSON: "id": "pipe-self-copy",
// JSON: "id": "pipe-self-deadlock",
// JSON-NEXT: "shortDescription": {
// JSON-NEXT: "text": "Finds a thread that blocks on a pipe that only it could unblock: a read that waits for data nobody else can write,
// JSON: "helpUri": "file://{{.*}}/docs/checks/pipe-self-deadlock.md",
// JSON-NEXT: "help": {
// JSON-NEXT: "text": "Finds a thread that blocks on a pipe {{.*}}\n\nHow to fix it\n\nClose every copy of the write end
// JSON-NEXT: "markdown": "{{.*}}\n\n## How to fix it\n\n{{.*}}The whole page: [pipe-self-deadlock](file://{{.*}}/docs/checks/pipe-self-deadlock.md)"
// JSON: "id": "pipe-unclosed-write-end",
// JSON: "helpUri": "file://{{.*}}/docs/checks/pipe-unclosed-write-end.md",
// JSON: "id": "pipe-wait-before-drain",
// JSON: "helpUri": "file://{{.*}}/docs/checks/pipe-wait-before-drain.md",
// JSON: "id": "pipe-writer-error-ignored",
// JSON: "helpUri": "file://{{.*}}/docs/checks/pipe-writer-error-ignored.md",
// JSON: "originalUriBaseIds": {
// JSON-NEXT: "%SRCROOT%": {
// JSON-NEXT: "uri": "file://{{.*}}/"
//
// The results, with the file relative to %SRCROOT% (the current directory):
// JSON: "results": [
// JSON: "ruleId": "pipe-unclosed-write-end",
// JSON-NEXT: "ruleIndex": 3,
// JSON-NEXT: "level": "warning",
// JSON-NEXT: "message": {
// JSON-NEXT: "text": "'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here;
// JSON: "uri": "src/sarif.c",
// JSON-NEXT: "uriBaseId": "%SRCROOT%"
// JSON: "startLine": [[@LINE+118]],
// JSON-NEXT: "startColumn": 3
// JSON: "ruleId": "pipe-self-deadlock",
// JSON-NEXT: "ruleIndex": 2,
// JSON-NEXT: "level": "warning",
// JSON-NEXT: "message": {
// JSON-NEXT: "text": "read from 'fds[0]' blocks forever:
// JSON: "startLine": [[@LINE+111]],
// JSON-NEXT: "startColumn": 15
// JSON: "relatedLocations": [
// JSON: "startLine": [[@LINE+106]],
// JSON-NEXT: "startColumn": 7
// JSON: "text": "pipe created here"
//
// The notes at the pipe's creation and at the branch are related locations
// and, with the finding, a code flow in source order:
// JSON: "ruleId": "pipe-unclosed-write-end",
// JSON: "text": "write end 'fds[1]' of the pipe is still open when 'send_greeting' returns here;
// JSON: "startLine": [[@LINE+110]],
// JSON-NEXT: "startColumn": 5
// JSON: "relatedLocations": [
// JSON: "id": 1,
// JSON: "startLine": [[@LINE+101]],
// JSON: "text": "pipe created here"
// JSON: "id": 2,
// JSON: "startLine": [[@LINE+101]],
// JSON: "text": "taking the true branch"
// JSON: "codeFlows": [
// JSON: "threadFlows": [
// JSON: "startLine": [[@LINE+94]],
// JSON: "text": "pipe created here"
// JSON: "kinds": [
// JSON-NEXT: "acquire"
// JSON: "startLine": [[@LINE+93]],
// JSON: "text": "taking the true branch"
// JSON: "kinds": [
// JSON-NEXT: "branch"
// JSON: "startLine": [[@LINE+91]],
// JSON: "importance": "essential"
//
// The fix-it, from clang-tidy's --export-fixes:
// JSON: "fixes": [
// JSON: "uri": "src/sarif.c",
// JSON: "deletedRegion": {
// JSON-NEXT: "startLine": [[@LINE+84]],
// JSON-NEXT: "startColumn": 5,
// JSON-NEXT: "endLine": [[@LINE+82]],
// JSON-NEXT: "endColumn": 5,
// JSON: "insertedContent": {
// JSON-NEXT: "text": "close(fds[1]); "

// --fail-on-findings makes the pipe findings errors, and so does the log;
// an --export-fixes of the user's is written as clang-tidy writes it:
// RUN: cd %t && not %pipe_tidy --clang-tidy %clang_tidy --plugin %plugin --fail-on-findings --sarif %t/fail.sarif --export-fixes=%t/user-fixes.yaml --config={} -checks='-*,pipe-self-deadlock' src/sarif.c -- > %t/fail.txt 2>&1
// RUN: %python %S/../tools/validate_sarif.py %t/fail.sarif
// RUN: FileCheck %s --check-prefix=FAIL < %t/fail.sarif
// FAIL: "executionSuccessful": true,
// FAIL: "exitCode": {{[1-9][0-9]*}},
// FAIL: "ruleId": "pipe-self-deadlock",
// FAIL-NEXT: "ruleIndex": 2,
// FAIL-NEXT: "level": "error",
// RUN: FileCheck %s --check-prefix=USERFIXES < %t/user-fixes.yaml
// USERFIXES: DiagnosticName: pipe-self-deadlock
//
// tools/pipe-tidy-sarif converts saved output as well. The findings of
// other checks are results with a rule of their own, without help:
// RUN: cd %t && %clang_tidy --load=%plugin --config={} -checks='-*,pipe-self-deadlock,readability-braces-around-statements' --export-fixes=%t/mixed.yaml src/sarif.c -- > %t/mixed.txt 2> %t/mixed.err
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --export-fixes %t/mixed.yaml -o %t/mixed.sarif %t/mixed.txt
// RUN: %python %S/../tools/validate_sarif.py %t/mixed.sarif | FileCheck %s --check-prefix=MIXED-VALID
// MIXED-VALID: valid SARIF 2.1.0: 1 run, 3 results
// RUN: FileCheck %s --check-prefix=MIXED < %t/mixed.sarif
// MIXED: "id": "readability-braces-around-statements",
// MIXED-NEXT: "shortDescription": {
// MIXED-NEXT: "text": "clang-tidy check readability-braces-around-statements"
// MIXED-NEXT: },
// MIXED-NEXT: "defaultConfiguration": {
// MIXED: "results": [
// MIXED: "ruleId": "readability-braces-around-statements",
// MIXED-NEXT: "ruleIndex": 6,
// MIXED: "startLine": [[@LINE+37]],
// MIXED: "fixes": [
// MIXED: "text": " {"
// MIXED: "ruleId": "pipe-self-deadlock",
// MIXED-NEXT: "ruleIndex": 2,
// MIXED: "ruleId": "readability-braces-around-statements",
//
// --pipe-only drops them:
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --pipe-only %t/mixed.txt > %t/pipe-only.sarif
// RUN: %python %S/../tools/validate_sarif.py %t/pipe-only.sarif | FileCheck %s --check-prefix=PIPEONLY
// PIPEONLY: valid SARIF 2.1.0: 1 run, 1 result
//
// --docs-uri points the help at published pages; the relative links of a
// page become links under it:
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --docs-uri https://example.org/pipe-tidy/docs %t/mixed.txt | FileCheck %s --check-prefix=DOCSURI
// DOCSURI: "informationUri": "https://example.org/pipe-tidy/docs/usage.md",
// DOCSURI: "helpUri": "https://example.org/pipe-tidy/docs/checks/pipe-self-deadlock.md",
// DOCSURI: "helpUri": "https://example.org/pipe-tidy/docs/checks/pipe-unclosed-write-end.md",
// DOCSURI: "markdown": "{{.*}}](https://example.org/pipe-tidy/examples/correct.c){{.*}}"
//
// Installed (bin/, and docs/ in share/doc/pipe-tidy as cmake --install puts
// it), the converter finds the pages there and the version in the CMake
// package:
// RUN: mkdir -p %t/prefix/bin %t/prefix/share/doc %t/prefix/lib/cmake/PipeTidy-llvm%llvm_version
// RUN: cp %repo_root/tools/pipe-tidy-sarif %t/prefix/bin/ && cp -r %repo_root/docs %t/prefix/share/doc/pipe-tidy
// RUN: printf 'set(PACKAGE_VERSION "9.8.7")\n' > %t/prefix/lib/cmake/PipeTidy-llvm%llvm_version/PipeTidyConfigVersion.cmake
// RUN: cd %t && %python %t/prefix/bin/pipe-tidy-sarif %t/mixed.txt | FileCheck %s --check-prefix=INSTALLED
// INSTALLED: "version": "9.8.7",
// INSTALLED: "informationUri": "file://{{.*}}/prefix/share/doc/pipe-tidy/usage.md",
// INSTALLED: "helpUri": "file://{{.*}}/prefix/share/doc/pipe-tidy/checks/pipe-leaked-writer.md",

#include <errno.h>
#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

int send_greeting(int *rfd, const char *greeting) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (greeting == 0) {
    errno = EINVAL;
    return -1;
  }
  write(fds[1], greeting, 1);
  close(fds[1]);
  return 0;
}

// A failed analysis never gives a log that says it succeeded. clang-tidy
// given no file prints its usage, exits with 1 and says why on standard
// error only; converted with that exit status, the log says that the
// analysis failed and why, and the converter exits with 2:
// RUN: cd %t && %expect_exit 1 %clang_tidy --load=%plugin --config={} -checks='-*,pipe-*' > %t/noinput.txt 2> %t/noinput.err
// RUN: FileCheck %s --check-prefix=NOINPUT-ERR < %t/noinput.err
// NOINPUT-ERR: Error: no input files specified.
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --exit-code 1 -o %t/noinput.sarif %t/noinput.txt 2> %t/noinput-conv.err
// RUN: FileCheck %s --check-prefix=NOINPUT-CONV < %t/noinput-conv.err
// NOINPUT-CONV: pipe-tidy-sarif: error: the analysis failed: clang-tidy exited with status 1 without reporting an error diagnostic
// RUN: %python %S/../tools/validate_sarif.py %t/noinput.sarif | FileCheck %s --check-prefix=NOINPUT-VALID
// NOINPUT-VALID: valid SARIF 2.1.0: 1 run, 0 results
// RUN: FileCheck %s --check-prefix=NOINPUT < %t/noinput.sarif
// NOINPUT:      "executionSuccessful": false,
// NOINPUT-NEXT: "exitCode": 1,
// NOINPUT-NEXT: "toolExecutionNotifications": [
// NOINPUT-NEXT: {
// NOINPUT-NEXT: "level": "error",
// NOINPUT-NEXT: "message": {
// NOINPUT-NEXT: "text": "clang-tidy exited with status 1 without reporting an error diagnostic
//
// The same output with exit status 0 is a clean analysis (the text alone
// cannot tell), but not when the caller says no file was analysed, a crash
// (a status other than 0 and 1), or a failed step before it (--failed):
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --exit-code 0 %t/noinput.txt | FileCheck %s --check-prefix=CLEAN
// CLEAN: "executionSuccessful": true,
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --exit-code 0 --analysed-files 0 %t/noinput.txt 2>/dev/null | FileCheck %s --check-prefix=NOFILES
// NOFILES:      "executionSuccessful": false,
// NOFILES:      "text": "no source file was analysed: clang-tidy was given no file"
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --exit-code 139 --pipe-only %t/mixed.txt 2>/dev/null | FileCheck %s --check-prefix=CRASH
// CRASH:      "executionSuccessful": false,
// CRASH:      "text": "the analysis exited with status 139: it failed
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --failed 'the build step failed' -o %t/failed.sarif
// RUN: %python %S/../tools/validate_sarif.py %t/failed.sarif
// RUN: FileCheck %s --check-prefix=FAILED < %t/failed.sarif
// FAILED:      "executionSuccessful": false,
// FAILED-NEXT: "toolExecutionNotifications": [
// FAILED:      "text": "the build step failed"
//
// An exit status of 1 that an error explains is a successful analysis that
// found something (--warnings-as-errors), even when --pipe-only drops the
// error of another check:
// RUN: cd %t && %expect_exit 1 %clang_tidy --load=%plugin --config={} -checks='-*,readability-braces-around-statements' --warnings-as-errors='*' src/sarif.c -- > %t/werror.txt 2>/dev/null
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --exit-code 1 --pipe-only %t/werror.txt | FileCheck %s --check-prefix=WERROR
// WERROR: "executionSuccessful": true,
//
// A compiler error fails the analysis, with or without --pipe-only:
// RUN: printf 'int broken(void) { return undeclared; }\n' > %t/src/broken.c
// RUN: cd %t && %expect_exit 1 %clang_tidy --load=%plugin --config={} -checks='-*,pipe-*' src/broken.c -- > %t/broken.txt 2>/dev/null
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --exit-code 1 --pipe-only -o %t/broken.sarif %t/broken.txt
// RUN: FileCheck %s --check-prefix=BROKEN < %t/broken.sarif
// BROKEN:      "executionSuccessful": false,
// BROKEN:      "text": "the compiler reported errors
//
// GitLab Code Quality: --code-quality FILE, from clang-tidy's output or from
// a SARIF log; the report is valid, lists every finding, and its paths are
// relative to the source root:
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --code-quality %t/mixed-cq.json %t/mixed.txt > %t/mixed-cq.stdout
// RUN: test ! -s %t/mixed-cq.stdout
// RUN: %python %S/../tools/validate_code_quality.py %t/mixed-cq.json | FileCheck %s --check-prefix=CQ-VALID
// CQ-VALID: valid Code Quality report: 3 issues
// RUN: cd %t && %python %repo_root/tools/pipe-tidy-sarif --code-quality %t/from-sarif-cq.json %t/mixed.sarif
// RUN: diff %t/mixed-cq.json %t/from-sarif-cq.json
// RUN: FileCheck %s --check-prefix=CQ < %t/mixed-cq.json
// CQ:      "check_name": "readability-braces-around-statements",
// CQ:      "severity": "major",
// CQ:      "path": "src/sarif.c",
// CQ-NEXT: "lines": {
// CQ-NEXT: "begin": 189
// CQ:      "check_name": "pipe-self-deadlock",
// CQ-NEXT: "description": "read from 'fds[0]' blocks forever
// CQ:      "begin": 191
//
// A log of a failed analysis gives no report, and removes one left from an
// earlier run, since an empty report would mark every finding fixed:
// RUN: cp %t/mixed-cq.json %t/stale-cq.json
// RUN: cd %t && %expect_exit 2 %python %repo_root/tools/pipe-tidy-sarif --code-quality %t/stale-cq.json %t/noinput.sarif 2> %t/stale.err
// RUN: FileCheck %s --check-prefix=STALE < %t/stale.err
// STALE: pipe-tidy-sarif: error: the analysis failed: clang-tidy exited with status 1
// STALE: pipe-tidy-sarif: no Code Quality report written to {{.*}}stale-cq.json
// RUN: test ! -e %t/stale-cq.json
//
// The validator is not a formality: a report without a fingerprint, with
// an absolute path, or with a fingerprint twice is rejected:
// RUN: %python -c "import json, sys; d = json.load(open(sys.argv[1])); del d[0]['fingerprint']; d[1]['location']['path'] = '/abs/sarif.c'; d[2]['fingerprint'] = d[1]['fingerprint']; json.dump(d, open(sys.argv[2], 'w'))" %t/mixed-cq.json %t/bad-cq.json
// RUN: %expect_exit 1 %python %S/../tools/validate_code_quality.py %t/bad-cq.json 2>&1 | FileCheck %s --check-prefix=CQ-BAD
// CQ-BAD: invalid Code Quality report: [0].fingerprint is missing or not a non-empty string
// CQ-BAD: invalid Code Quality report: [1].location.path '/abs/sarif.c' is not relative to the repository
// CQ-BAD: invalid Code Quality report: [2].fingerprint is the fingerprint of [1] too
//
// Bad usage names the option and exits with 3:
// RUN: %expect_exit 3 %python %repo_root/tools/pipe-tidy-sarif --analysed-files many %t/mixed.txt 2> %t/usage.err
// RUN: FileCheck %s --check-prefix=USAGE < %t/usage.err
// USAGE: pipe-tidy-sarif: error: argument --analysed-files: invalid int value: 'many'

// Why pipe-tidy has --diff (docs/usage.md#diff-mode): clang-tidy-diff keeps a
// warning only on a line the patch adds or changes, so a commit that
// deletes a close() loses the warning it causes. The program is the one of
// diff-mode.c (which runs it: the deletion makes it hang).
// LLVM 14's clang-tidy-diff has no -load (clang-tidy-diff-llvm14.c).
//
// UNSUPPORTED: llvm-14
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %S/diff-mode.c %t/proj/collect.c
// RUN: printf '[{"directory": "%t/proj", "file": "collect.c", "arguments": ["cc", "-c", "collect.c"]}]' > %t/proj/build/compile_commands.json
// RUN: printf 'build/\n' > %t/proj/.gitignore
// feed_child() is called only by main()'s return, so caller context
// (ReportLeaksBeforeExit, default off) would take its leak for a harmless
// one although it waits for the reader first: ask for it here, as the
// pipe-tidy runs do with --config.
// RUN: printf 'CheckOptions:\n  - key: ReportLeaksBeforeExit\n    value: true\n' > %t/proj/.clang-tidy
// RUN: git -C %t/proj init -q && git -C %t/proj add . && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
// RUN: sed -i '/PARENT[-]CLOSE/d' %t/proj/collect.c
//
// The usual recipe (git diff -U0): a hunk that only deletes has no line,
// and clang-tidy does not even run.
// RUN: cd %t/proj && git diff -U0 HEAD | env PATH=/usr/bin:/bin clang-tidy-diff-%llvm_version.py -p1 -path build -clang-tidy-binary clang-tidy-%llvm_version -load=%plugin -checks='-*,pipe-*' > %t/u0.txt 2>&1
// RUN: FileCheck %s --check-prefix=U0 --implicit-check-not=warning: < %t/u0.txt
// U0: No relevant changes found.
//
// pipe-tidy --diff reports it:
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --fail-on-findings --diff HEAD -p build > %t/pipe-tidy.txt 2>&1
// RUN: FileCheck %s --check-prefix=PIPE-TIDY --implicit-check-not=old_bug < %t/pipe-tidy.txt
// PIPE-TIDY: collect.c:{{[0-9]+}}:15: error: {{.*}}[pipe-self-deadlock,-warnings-as-errors]
// PIPE-TIDY: 2 outside the diff
// PIPE-TIDY: exit status: 1
//
// The clang-tidy-diff recipe of docs/usage.md: git diff -W (each hunk
// widened to the whole function it is in) keeps the warnings of the
// functions a patch changes:
// RUN: cd %t/proj && git diff -W HEAD | env PATH=/usr/bin:/bin clang-tidy-diff-%llvm_version.py -p1 -path build -clang-tidy-binary clang-tidy-%llvm_version -load=%plugin -checks='-*,pipe-*' > %t/w.txt 2>&1
// RUN: FileCheck %s --check-prefix=W --implicit-check-not=old_bug < %t/w.txt
// W: collect.c:{{[0-9]+}}:15: warning: {{.*}}[pipe-self-deadlock]
// W: Suppressed 2 warnings (2 due to line filter)
//
// ...but not those a change to a helper causes in its callers: send_all()
// no longer closes, the warning is in feed_child(). pipe-tidy --diff
// follows the calls.
// RUN: git -C %t/proj checkout -q collect.c && sed -i '/HELPER[-]CLOSE/d' %t/proj/collect.c
// RUN: cd %t/proj && git diff -W HEAD | env PATH=/usr/bin:/bin clang-tidy-diff-%llvm_version.py -p1 -path build -clang-tidy-binary clang-tidy-%llvm_version -load=%plugin -checks='-*,pipe-*' > %t/w-helper.txt 2>&1
// RUN: FileCheck %s --check-prefix=W-HELPER --implicit-check-not=warning: < %t/w-helper.txt
// W-HELPER: Suppressed 4 warnings (4 due to line filter)
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD -p build > %t/helper.txt 2>&1
// RUN: FileCheck %s --check-prefix=HELPER --implicit-check-not=old_bug < %t/helper.txt
// HELPER: collect.c:{{[0-9]+}}:3: warning: {{.*}}[pipe-self-deadlock]
// HELPER: collect.c:{{[0-9]+}}:3: warning: {{.*}}[pipe-unclosed-write-end]
// HELPER: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 2 outside the diff

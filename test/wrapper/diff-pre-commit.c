// The pre-commit recipe of docs/usage.md#diff-mode: the hook's args
// [--diff=--cached, -p=build], then the staged files that pre-commit
// appends. A commit that deletes a close() is refused; a commit that
// changes another function of a file with an old bug passes (the plain
// hook refuses it for the old bug). The program is the one of diff-mode.c,
// which runs it.
//
// REQUIRES: pre-commit
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %S/diff-mode.c %t/proj/reader.c
// RUN: printf '[{"directory": "%t/proj", "file": "reader.c", "arguments": ["cc", "-c", "reader.c"]}]' > %t/proj/build/compile_commands.json
// RUN: printf 'build/\n' > %t/proj/.gitignore && printf 'Checks: "-*,pipe-*"\n' > %t/proj/.clang-tidy
// RUN: printf 'repos:\n  - repo: local\n    hooks:\n      - id: pipe-tidy-diff\n        name: pipe-tidy diff\n        entry: %python %repo_root/tools/pipe-tidy --fail-on-findings\n        language: system\n        types_or: [c, c++]\n        args: [--diff=--cached, -p=build]\n      - id: pipe-tidy-all\n        name: pipe-tidy all\n        entry: %python %repo_root/tools/pipe-tidy --fail-on-findings\n        language: system\n        types_or: [c, c++]\n        args: [-p=build]\n        stages: [manual]\n' > %t/proj/.pre-commit-config.yaml
// RUN: git -C %t/proj init -q && git -C %t/proj add . && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
//
// The deletion, staged: refused, with the finding.
// RUN: sed -i '/PARENT[-]CLOSE/d' %t/proj/reader.c && git -C %t/proj add reader.c
// RUN: cd %t/proj && %expect_exit 1 env PATH=/usr/bin:/bin PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit run pipe-tidy-diff > %t/refused.txt 2>&1
// RUN: FileCheck %s --check-prefix=REFUSED --implicit-check-not=old_bug < %t/refused.txt
// REFUSED: pipe-tidy diff{{.*}}Failed
// REFUSED: --diff --cached touches 2 lines in 1 file; analysing 1 file
// REFUSED: reader.c:{{[0-9]+}}:15: error: {{.*}}[pipe-self-deadlock,-warnings-as-errors]
// REFUSED: 2 outside the diff
//
// A change to unrelated(), staged: passes, though the file has old_bug().
// RUN: git -C %t/proj reset -q --hard && sed -i 's/return x [+] 1;/return x + 2;/' %t/proj/reader.c && git -C %t/proj add reader.c
// RUN: cd %t/proj && env PATH=/usr/bin:/bin PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit run pipe-tidy-diff > %t/passed.txt 2>&1
// RUN: FileCheck %s --check-prefix=PASSED < %t/passed.txt
// PASSED: pipe-tidy diff{{.*}}Passed
// The same commit with the hook without --diff is refused for old_bug():
// RUN: cd %t/proj && %expect_exit 1 env PATH=/usr/bin:/bin PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit run --hook-stage manual pipe-tidy-all > %t/all.txt 2>&1
// RUN: FileCheck %s --check-prefix=ALL < %t/all.txt
// ALL: pipe-tidy all{{.*}}Failed
// ALL: reader.c:{{[0-9]+}}:{{[0-9]+}}: error: {{.*}}[pipe-{{.*}},-warnings-as-errors]

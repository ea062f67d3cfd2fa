// The CI recipes of examples/ci/ (GitHub Actions, GitLab CI), run here as
// their runners would run them (test/tools/run_ci_recipe.py) on a small
// project (Inputs/ci-project: one file with a pipe deadlock, one without),
// with pipe-tidy installed by `cmake --install` where the recipe's skipped
// installation step would put it (the .deb itself: deb-install.c).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %build_dir --prefix %t/prefix > %t/install.txt
//
// GitHub Actions: the lint step fails the job on the finding, and the SARIF
// log is there for the upload step, which runs anyway (if: always()):
// RUN: cp -r %S/Inputs/ci-project %t/github && git -C %t/github init -q && git -C %t/github add -A
// RUN: env CLANG_TIDY=%clang_tidy not %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/github-actions.yml \
// RUN:     --workdir %t/github --skip '^Install' --path-prefix %t/prefix/bin > %t/github.txt 2>&1
// RUN: FileCheck %s --check-prefix=GITHUB < %t/github.txt
// GITHUB:      uses actions/checkout@v4: not run here
// GITHUB-NEXT: skipped: Install pipe-tidy
// GITHUB:      step Configure (compile_commands.json): exit 0
// GITHUB:      6 pipe checks active
// GITHUB:      src/tokens.c:9:15: error: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock,-warnings-as-errors]
// GITHUB:      step pipe-tidy: exit 1
// GITHUB-NEXT: upload-sarif: pipe-tidy.sarif present
// GITHUB-NEXT: job pipe-tidy: exit 1
// RUN: FileCheck %s --check-prefix=LOG < %t/github/pipe-tidy.sarif
// LOG: "ruleId": "pipe-self-deadlock"
// LOG: "uri": "src/tokens.c"
// LOG: "startLine": 9
//
// GitLab CI: the same, and the log kept as an artifact:
// RUN: cp -r %S/Inputs/ci-project %t/gitlab && git -C %t/gitlab init -q && git -C %t/gitlab add -A
// RUN: env CLANG_TIDY=%clang_tidy not %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --workdir %t/gitlab --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/gitlab.txt 2>&1
// RUN: FileCheck %s --check-prefix=GITLAB < %t/gitlab.txt
// GITLAB: skipped: apt-get update
// GITLAB: src/tokens.c:9:15: error: read from 'fds[0]' blocks forever
// GITLAB: script: exit 1
// GITLAB-NEXT: artifact: pipe-tidy.sarif present
// GITLAB-NEXT: job pipe-tidy: exit 1
//
// With the deadlock fixed, both jobs pass:
// RUN: cp %S/Inputs/ci-project/src/clean.c %t/github/src/tokens.c
// RUN: env CLANG_TIDY=%clang_tidy %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/github-actions.yml \
// RUN:     --workdir %t/github --skip '^Install' --path-prefix %t/prefix/bin > %t/github-fixed.txt 2>&1
// RUN: FileCheck %s --check-prefix=FIXED < %t/github-fixed.txt
// FIXED: step pipe-tidy: exit 0
// FIXED: job pipe-tidy: exit 0
//
// And when the checks cannot run (here: the plugin named by
// PIPE_TIDY_PLUGIN is missing), the job fails with the wrapper's exit 3
// rather than passing:
// RUN: cp -r %S/Inputs/ci-project %t/noplugin && git -C %t/noplugin init -q && git -C %t/noplugin add -A
// RUN: env CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%t/missing/PipeTidy-llvm%llvm_version.so not %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --workdir %t/noplugin --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/noplugin.txt 2>&1
// RUN: FileCheck %s --check-prefix=NOPLUGIN < %t/noplugin.txt
// NOPLUGIN: pipe-tidy: {{.*}}missing/PipeTidy-llvm{{[0-9]+}}.so
// NOPLUGIN: script: exit 3

// The CI recipes of examples/ci/ (GitHub Actions, GitLab CI), run here as
// their runners would run them (test/tools/run_ci_recipe.py), checkout
// included, on a small project (Inputs/ci-project: one file with a pipe
// deadlock, one without), with pipe-tidy installed by `cmake --install`
// where the recipe's skipped installation step would put it (the .deb
// itself: deb-install.c). The runner commits the project to a repository
// of its own (WORKDIR.origin) and checks that commit out as the runner
// would: GitHub's actions/checkout clones it only when git is in the
// container (else it downloads the files, without .git); GitLab's runner
// always clones it.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %build_dir --prefix %t/prefix > %t/install.txt
//
// GitHub Actions: the recipe installs git before the checkout, so the
// checkout is a clone. The lint step fails the job on the finding, and the
// SARIF log is there for the upload step, which runs anyway (if: always()):
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 1 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/github-actions.yml \
// RUN:     --source %S/Inputs/ci-project --workdir %t/github --skip '^Install' --path-prefix %t/prefix/bin > %t/github.txt 2>&1
// RUN: FileCheck %s --check-prefix=GITHUB < %t/github.txt
// GITHUB:      skipped: Install pipe-tidy
// GITHUB-NEXT: uses actions/checkout@v4: git clone (.git present)
// GITHUB:      step Configure (compile_commands.json): exit 0
// GITHUB:      src/tokens.c:9:15: error: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock,-warnings-as-errors]
// GITHUB:      step pipe-tidy: exit 1
// GITHUB-NEXT: upload-sarif: pipe-tidy.sarif present (executionSuccessful: true, 2 results)
// GITHUB-NEXT: job pipe-tidy: exit 1
//
// The log is valid, and its help links are https URLs (the check pages at
// this commit of the repository, PIPE_TIDY_DOCS_URI in the recipe), which
// code scanning can open:
// RUN: %python %S/../tools/validate_sarif.py --https-help %t/github/pipe-tidy.sarif | FileCheck %s --check-prefix=VALID1
// VALID1: valid SARIF 2.1.0: 1 run, 2 results
// RUN: FileCheck %s --check-prefix=LOG < %t/github/pipe-tidy.sarif
// LOG: "informationUri": "https://github.com/example/project/blob/[[SHA:[0-9a-f]{40}]]/docs/usage.md",
// LOG: "helpUri": "https://github.com/example/project/blob/[[SHA]]/docs/checks/pipe-self-deadlock.md",
// LOG: "executionSuccessful": true,
// LOG: "ruleId": "pipe-self-deadlock"
// LOG: "uri": "src/tokens.c"
// LOG: "startLine": 9
//
// With the deadlock fixed, the job passes, and the log says the analysis
// succeeded, with no result:
// RUN: cp -r %S/Inputs/ci-project %t/fixed-project && cp %t/fixed-project/src/clean.c %t/fixed-project/src/tokens.c
// RUN: env CLANG_TIDY=%clang_tidy %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/github-actions.yml \
// RUN:     --source %t/fixed-project --workdir %t/github-fixed --skip '^Install' --path-prefix %t/prefix/bin > %t/github-fixed.txt 2>&1
// RUN: FileCheck %s --check-prefix=FIXED < %t/github-fixed.txt
// FIXED: step pipe-tidy: exit 0
// FIXED-NEXT: upload-sarif: pipe-tidy.sarif present (executionSuccessful: true, 0 results)
// FIXED-NEXT: job pipe-tidy: exit 0
//
// The recipe as it was (actions/checkout before git is installed): the
// checkout has no .git, git ls-files fails, nothing is analysed. The job
// fails, and the log it leaves says that the analysis failed and why
// instead of "no results" (which code scanning would read as "all fixed"):
// RUN: %python -c "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); s = d['jobs']['pipe-tidy']['steps']; s.insert(0, s.pop(1)); yaml.safe_dump(d, open(sys.argv[2], 'w'), sort_keys=False)" \
// RUN:     %repo_root/examples/ci/github-actions.yml %t/checkout-first.yml
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 2 %python %S/../tools/run_ci_recipe.py %t/checkout-first.yml \
// RUN:     --source %S/Inputs/ci-project --workdir %t/github-nogit --skip '^Install' --path-prefix %t/prefix/bin > %t/github-nogit.txt 2>&1
// RUN: FileCheck %s --check-prefix=NOGIT < %t/github-nogit.txt
// NOGIT:      uses actions/checkout@v4: no git in the container: files of {{[0-9a-f]+}} downloaded, no .git
// NOGIT-NEXT: skipped: Install pipe-tidy
// NOGIT:      fatal: not a git repository
// NOGIT:      pipe-tidy-sarif: error: the analysis failed: no C or C++ file to analyse: git ls-files listed none in {{.*}}github-nogit
// NOGIT:      step pipe-tidy: exit 2
// NOGIT-NEXT: upload-sarif: pipe-tidy.sarif present (executionSuccessful: false, 0 results)
// NOGIT-NEXT: job pipe-tidy: exit 2
// RUN: test ! -e %t/github-nogit/.git
// RUN: %python %S/../tools/validate_sarif.py --https-help %t/github-nogit/pipe-tidy.sarif
// RUN: FileCheck %s --check-prefix=FAILED-LOG < %t/github-nogit/pipe-tidy.sarif
// FAILED-LOG:      "executionSuccessful": false,
// FAILED-LOG-NEXT: "toolExecutionNotifications": [
// FAILED-LOG-NEXT: {
// FAILED-LOG-NEXT: "level": "error",
// FAILED-LOG-NEXT: "message": {
// FAILED-LOG-NEXT: "text": "no C or C++ file to analyse: git ls-files listed none in /{{.*}}"
//
// A repository without a C or C++ file: the same, with .git present:
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 2 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/github-actions.yml \
// RUN:     --source %S/Inputs/ci-project-no-sources --workdir %t/github-empty --skip '^Install' --path-prefix %t/prefix/bin > %t/github-empty.txt 2>&1
// RUN: FileCheck %s --check-prefix=EMPTY < %t/github-empty.txt
// EMPTY:      uses actions/checkout@v4: git clone (.git present)
// EMPTY:      step pipe-tidy: exit 2
// EMPTY-NEXT: upload-sarif: pipe-tidy.sarif present (executionSuccessful: false, 0 results)
// EMPTY-NEXT: job pipe-tidy: exit 2
//
// GitLab CI: the same, the log kept as an artifact, and a Code Quality
// report for the merge request that lists the finding:
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 1 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --source %S/Inputs/ci-project --workdir %t/gitlab --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/gitlab.txt 2>&1
// RUN: FileCheck %s --check-prefix=GITLAB < %t/gitlab.txt
// GITLAB: runner: git clone (.git present)
// GITLAB: skipped: apt-get update
// GITLAB: src/tokens.c:9:15: error: read from 'fds[0]' blocks forever
// GITLAB: script: exit 1
// GITLAB-NEXT: artifact: pipe-tidy.sarif present
// GITLAB-NEXT: codequality report: gl-code-quality.json present (2 issues)
// GITLAB-NEXT: job pipe-tidy: exit 1
// RUN: %python %S/../tools/validate_sarif.py --https-help %t/gitlab/pipe-tidy.sarif | FileCheck %s --check-prefix=VALID1
// RUN: FileCheck %s --check-prefix=GITLAB-LOG < %t/gitlab/pipe-tidy.sarif
// GITLAB-LOG: "helpUri": "https://gitlab.example.com/example/project/-/blob/[[GLSHA:[0-9a-f]{40}]]/docs/checks/pipe-self-deadlock.md",
// RUN: %python %S/../tools/validate_code_quality.py %t/gitlab/gl-code-quality.json | FileCheck %s --check-prefix=CQ-VALID1
// CQ-VALID1: valid Code Quality report: 2 issues
// RUN: FileCheck %s --check-prefix=CQ < %t/gitlab/gl-code-quality.json
// CQ:      "check_name": "pipe-self-deadlock",
// CQ-NEXT: "description": "read from 'fds[0]' blocks forever
// CQ:      "severity": "critical",
// CQ-NEXT: "fingerprint": "[[FP:[0-9a-f]{64}]]",
// CQ-NEXT: "location": {
// CQ-NEXT: "path": "src/tokens.c",
// CQ-NEXT: "lines": {
// CQ-NEXT: "begin": 9
//
// The same findings two lines lower keep their fingerprints, so the merge
// request does not show them as fixed and new; a copy of the function
// further down gives two findings with fingerprints of their own (one of
// them has the very same message and line text):
// RUN: cp -r %S/Inputs/ci-project %t/shifted-project
// RUN: %python -c "import sys; p = sys.argv[1]; s = open(p).read(); f = s[s.index('int wait_for_token'):]; open(p, 'w').write('/* Two lines */\n/* more. */\n' + s + '\n' + f.replace('wait_for_token', 'wait_for_token_again'))" %t/shifted-project/src/tokens.c
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 1 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --source %t/shifted-project --workdir %t/gitlab-shifted --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/gitlab-shifted.txt 2>&1
// RUN: FileCheck %s --check-prefix=SHIFTJOB < %t/gitlab-shifted.txt
// SHIFTJOB: codequality report: gl-code-quality.json present (4 issues)
// RUN: %python %S/../tools/validate_code_quality.py %t/gitlab-shifted/gl-code-quality.json
// RUN: cat %t/gitlab/gl-code-quality.json %t/gitlab-shifted/gl-code-quality.json | FileCheck %s --check-prefix=SHIFTED
// SHIFTED:      "fingerprint": "[[FP:[0-9a-f]{64}]]",
// SHIFTED:      "begin": 9
// SHIFTED:      "fingerprint": "[[FP]]",
// SHIFTED-NEXT: "location": {
// SHIFTED-NEXT: "path": "src/tokens.c",
// SHIFTED-NEXT: "lines": {
// SHIFTED-NEXT: "begin": 11
// SHIFTED:      "begin": 19
// RUN: cat %t/gitlab/gl-code-quality.json %t/gitlab-shifted/gl-code-quality.json | grep '"fingerprint"' | sort | uniq -c | sort -n | FileCheck %s --check-prefix=FPCOUNT
// FPCOUNT:      1 "fingerprint"
// FPCOUNT-NEXT: 1 "fingerprint"
// FPCOUNT-NEXT: 2 "fingerprint"
// FPCOUNT-NEXT: 2 "fingerprint"
// FPCOUNT-NOT:  "fingerprint"
//
// Fixed, the job passes with an empty report:
// RUN: env CLANG_TIDY=%clang_tidy %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --source %t/fixed-project --workdir %t/gitlab-fixed --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/gitlab-fixed.txt 2>&1
// RUN: FileCheck %s --check-prefix=GITLAB-FIXED < %t/gitlab-fixed.txt
// GITLAB-FIXED:      script: exit 0
// GITLAB-FIXED-NEXT: artifact: pipe-tidy.sarif present
// GITLAB-FIXED-NEXT: codequality report: gl-code-quality.json present (0 issues)
// GITLAB-FIXED-NEXT: job pipe-tidy: exit 0
//
// Nothing to analyse: the job fails, the log says why, and there is no
// Code Quality report (an empty one would mark every finding fixed):
// RUN: env CLANG_TIDY=%clang_tidy %expect_exit 2 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --source %S/Inputs/ci-project-no-sources --workdir %t/gitlab-empty --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/gitlab-empty.txt 2>&1
// RUN: FileCheck %s --check-prefix=NOSOURCES < %t/gitlab-empty.txt
// NOSOURCES:      script: exit 2
// NOSOURCES-NEXT: artifact: pipe-tidy.sarif present
// NOSOURCES-NEXT: codequality report: gl-code-quality.json MISSING
// NOSOURCES-NEXT: job pipe-tidy: exit 2
// RUN: FileCheck %s --check-prefix=FAILED-LOG < %t/gitlab-empty/pipe-tidy.sarif
//
// And when the checks cannot run (here: the plugin named by
// PIPE_TIDY_PLUGIN is missing), the job fails with the wrapper's exit 3
// rather than passing, and leaves no report:
// RUN: env CLANG_TIDY=%clang_tidy PIPE_TIDY_PLUGIN=%t/missing/PipeTidy-llvm%llvm_version.so %expect_exit 3 %python %S/../tools/run_ci_recipe.py %repo_root/examples/ci/gitlab-ci.yml \
// RUN:     --source %S/Inputs/ci-project --workdir %t/noplugin --skip 'apt-get|curl' --path-prefix %t/prefix/bin > %t/noplugin.txt 2>&1
// RUN: FileCheck %s --check-prefix=NOPLUGIN < %t/noplugin.txt
// NOPLUGIN: pipe-tidy: {{.*}}missing/PipeTidy-llvm{{[0-9]+}}.so
// NOPLUGIN: script: exit 3
// NOPLUGIN: codequality report: gl-code-quality.json MISSING
// NOPLUGIN: job pipe-tidy: exit 3

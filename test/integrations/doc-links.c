// The tools that keep the installed documentation's links alive, on small
// trees of their own: cmake/stage-docs.py rewrites the links of the files
// it installs for the installed layout, turns a link to a file it does not
// install into text, and stops on a dead link; test/tools/check_doc_links.py
// (which install.c runs on the installed tree) reports dead links.
//
// RUN: rm -rf %t && mkdir -p %t/src/docs/checks %t/src/docs/man %t/src/examples/ci %t/src/bench
// RUN: echo "LICENSE" > %t/src/LICENSE
// RUN: echo "int main(void) { return 0; }" > %t/src/examples/correct.c
// RUN: echo "jobs:" > %t/src/examples/ci/job.yml
// RUN: echo "# triage" > %t/src/bench/triage.md
// RUN: echo "# x(1) -- a man page source" > %t/src/docs/man/x.1.md
// RUN: echo "See [usage](docs/usage.md#building), [the checks](docs/checks/), [examples/](examples/) and [the triage](bench/triage.md); code: `[a](b)`." > %t/src/README.md
// RUN: echo "Copy [the job](../examples/ci/job.yml), read [the README](../README.md) and [`bench/triage.md`](../bench/triage.md); [web](https://example.org/x.md)." > %t/src/docs/usage.md
// RUN: echo "[correct](../../examples/correct.c), [usage](../usage.md#top), [license](../../LICENSE), [here](#how-to-fix-it)" > %t/src/docs/checks/pipe-x.md
// RUN: %python %repo_root/cmake/stage-docs.py %t/src %t/out
// RUN: FileCheck %s --check-prefix=README < %t/out/README.md
// README: See [usage](usage.md#building), [the checks](checks/), [examples/](examples/) and the triage (`bench/triage.md` in the pipe-tidy source tree); code: `[a](b)`.
// RUN: FileCheck %s --check-prefix=USAGE < %t/out/usage.md
// USAGE: Copy [the job](examples/ci/job.yml), read [the README](README.md) and `bench/triage.md`; [web](https://example.org/x.md).
// RUN: FileCheck %s --check-prefix=PAGE < %t/out/checks/pipe-x.md
// PAGE: [correct](../examples/correct.c), [usage](../usage.md#top), [license](../LICENSE), [here](#how-to-fix-it)
// RUN: %python %S/../tools/check_doc_links.py %t/out | FileCheck %s --check-prefix=STAGED
// STAGED: 8 links in 3 files, 0 dead
// The man pages' sources are not installed as documentation:
// RUN: %expect_exit 2 ls %t/out/man
//
// The source tree itself has no dead link either, as the checker sees it:
// RUN: %python %S/../tools/check_doc_links.py %t/src | FileCheck %s --check-prefix=SOURCE
// SOURCE: 10 links in 5 files, 0 dead
//
// A dead link in the sources stops the staging (and so the build), by name:
// RUN: echo "[gone](docs/missing.md)" > %t/src/README.md
// RUN: %expect_exit 1 %python %repo_root/cmake/stage-docs.py %t/src %t/out2 2> %t/dead.txt
// RUN: FileCheck %s --check-prefix=DEAD < %t/dead.txt
// DEAD: stage-docs.py: error: README.md:1: dead link docs/missing.md
//
// The checker reports a dead link, and a link that climbs out of the tree:
// RUN: echo "[gone](missing.md) [up](../README.md) [ok](usage.md)" > %t/out/extra.md
// RUN: %expect_exit 1 %python %S/../tools/check_doc_links.py %t/out | FileCheck %s --check-prefix=CHECKER
// CHECKER: extra.md:1: dead link missing.md
// CHECKER: extra.md:1: dead link ../README.md
// CHECKER: 11 links in 4 files, 2 dead

#include <unistd.h>

// The man pages that cmake --install (and the .deb) put in share/man/man1:
// one per installed program, generated from docs/man/*.1.md by
// tools/gen-man.py and gzip'd. man renders each without a warning from
// groff, each has the NAME line whatis needs, and the pages of pipe-tidy,
// pipe-tidy-sarif and pipe-tidy-html document every option their --help lists.
//
// REQUIRES: man
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %build_dir --prefix %t/prefix > %t/install.txt
// RUN: ls %t/prefix/share/man/man1 | FileCheck %s --check-prefix=PAGES %clangd_absent
// PAGES-DAG: pipe-tidy.1.gz
// PAGES-DAG: pipe-tidy-sarif.1.gz
// PAGES-DAG: pipe-tidy-html.1.gz
// PAGES-DAG: pipe-clang-tidy.1.gz
//
// What lintian runs on a man page, on all of them; groff's warnings go to
// standard error.
// RUN: env LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z %t/prefix/share/man/man1/*.1.gz > %t/all.utf8 2> %t/warnings.txt
// RUN: count 0 < %t/warnings.txt
// RUN: lexgrog %t/prefix/share/man/man1/*.1.gz | FileCheck %s --check-prefix=WHATIS
// WHATIS-DAG: pipe-tidy.1.gz: "pipe-tidy - clang-tidy with the pipe-tidy checks loaded, and proof that they ran"
// WHATIS-DAG: pipe-tidy-sarif.1.gz: "pipe-tidy-sarif - convert clang-tidy's diagnostics to a SARIF 2.1.0 log"
// WHATIS-DAG: pipe-tidy-html.1.gz: "pipe-tidy-html - an HTML report of pipe-tidy's SARIF log"
// WHATIS-DAG: pipe-clang-tidy.1.gz: "pipe-clang-tidy - clang-tidy with the pipe-tidy checks built in"
// RUN: lexgrog %t/prefix/share/man/man1/*.1.gz | FileCheck %s --check-prefix=%clangd_prefix-WHATIS
// CLANGD-WHATIS: pipe-clangd.1.gz: "pipe-clangd - clangd with the pipe-tidy checks built in, for editors"
// NO-CLANGD-WHATIS: pipe-tidy.1.gz
//
// RUN: env LC_ALL=C.UTF-8 MANWIDTH=80 man -l %t/prefix/share/man/man1/pipe-tidy.1.gz > %t/pipe-tidy.txt
// RUN: FileCheck %s --check-prefix=PIPE-TIDY < %t/pipe-tidy.txt
// PIPE-TIDY: PIPE-TIDY(1)
// PIPE-TIDY: SYNOPSIS
// PIPE-TIDY: pipe-tidy [pipe-tidy options] -p BUILD_DIR [clang-tidy options]
// PIPE-TIDY: EXIT STATUS
// PIPE-TIDY: --suppressions.
// PIPE-TIDY: pipe-tidy 0.1.0
// RUN: %t/prefix/bin/pipe-tidy --pipe-tidy-help > %t/pipe-tidy-help.txt
// RUN: %python %S/../tools/options_in_man.py %t/pipe-tidy-help.txt %t/pipe-tidy.txt | FileCheck %s --check-prefix=OPTIONS
// OPTIONS: {{[1-9][0-9]*}} options, 0 missing
// RUN: env LC_ALL=C.UTF-8 MANWIDTH=80 man -l %t/prefix/share/man/man1/pipe-tidy-sarif.1.gz > %t/sarif.txt
// RUN: %t/prefix/bin/pipe-tidy-sarif --help > %t/sarif-help.txt
// RUN: %python %S/../tools/options_in_man.py %t/sarif-help.txt %t/sarif.txt | FileCheck %s --check-prefix=OPTIONS
// RUN: env LC_ALL=C.UTF-8 MANWIDTH=80 man -l %t/prefix/share/man/man1/pipe-tidy-html.1.gz > %t/html.txt
// RUN: %t/prefix/bin/pipe-tidy-html --help > %t/html-help.txt
// RUN: %python %S/../tools/options_in_man.py %t/html-help.txt %t/html.txt | FileCheck %s --check-prefix=OPTIONS
//
// The comparison fails when the page lacks an option:
// RUN: echo "  --no-such-option   what it does" > %t/extra-help.txt
// RUN: %expect_exit 1 %python %S/../tools/options_in_man.py %t/extra-help.txt %t/pipe-tidy.txt | FileCheck %s --check-prefix=MISSING
// MISSING: not in the man page: --no-such-option
// MISSING: 1 options, 1 missing
//
// A source the generator does not understand stops it with the line:
// RUN: echo "no title here" > %t/bad.1.md
// RUN: %expect_exit 1 %python %repo_root/tools/gen-man.py %t/bad.1.md %t/bad.1 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: gen-man.py: error: {{.*}}bad.1.md:1: the first line must be '# name(section) -- description'

#include <unistd.h>

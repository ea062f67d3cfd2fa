// The .deb passes lintian, Debian's package checker, without an error or a
// warning: stripped binaries, a machine-readable copyright file and a
// changelog.Debian.gz in /usr/share/doc/<package>/, gzip'd man pages for
// every program in /usr/bin, the shared-library dependencies from
// dpkg-shlibdeps, a synopsis and a long description, section and priority.
// One tag is overridden, with its reason in cmake/lintian-overrides.in:
// initial-upload-closes-no-bugs (the package is not uploaded to Debian, so
// there is no ITP bug to close). --show-overrides lists it, which also shows
// that lintian looked at the package; as lintian then counts it as a
// warning for --fail-on, the exit status covers errors, and FileCheck
// forbids every warning, every other override and an unused override.
// Needs lintian, dpkg-deb and dpkg-shlibdeps (feature 'lintian';
// scripts/run-tests.sh installs them).
//
// REQUIRES: lintian
// RUN: rm -rf %t && mkdir -p %t
// RUN: cd %build_dir && cpack -G DEB -B %t -D CPACK_DEBIAN_FILE_NAME=pipe-tidy.deb > %t/cpack.txt
// RUN: lintian --fail-on error --display-info --show-overrides --tag-display-limit 0 %t/pipe-tidy.deb 2>&1 | FileCheck %s --check-prefix=LINTIAN --implicit-check-not='{{^[EW]: }}' --implicit-check-not='{{^O: }}' --implicit-check-not=unused-override
// LINTIAN: O: pipe-tidy-llvm[[#]]: initial-upload-closes-no-bugs [usr/share/doc/pipe-tidy-llvm[[#]]/changelog.Debian.gz:1]
//
// What lintian requires, seen from the package itself:
// RUN: dpkg-deb -c %t/pipe-tidy.deb | FileCheck %s --check-prefix=FILES
// FILES-DAG: ./usr/share/doc/pipe-tidy-llvm[[#]]/copyright
// FILES-DAG: ./usr/share/doc/pipe-tidy-llvm[[#]]/changelog.Debian.gz
// FILES-DAG: ./usr/share/man/man1/pipe-tidy.1.gz
// FILES-DAG: ./usr/share/man/man1/pipe-tidy-sarif.1.gz
// FILES-DAG: ./usr/share/man/man1/pipe-tidy-html.1.gz
// FILES-DAG: ./usr/share/man/man1/pipe-clang-tidy.1.gz
// RUN: dpkg-deb -f %t/pipe-tidy.deb Depends Section Priority Description | FileCheck %s --check-prefix=CONTROL
// CONTROL: Depends: clang-tidy-[[#]], python3, {{.*}}libc6 (>= {{.*}}libstdc++6 (>=
// CONTROL-NEXT: Section: devel
// CONTROL-NEXT: Priority: optional
// CONTROL-NEXT: Description: clang-tidy checks for pipe deadlocks and pipe leaks (LLVM [[#]])
// CONTROL-NEXT: {{^ }}pipe-tidy is a clang-tidy plugin module whose pipe-* checks find pipe
// RUN: dpkg-deb -x %t/pipe-tidy.deb %t/root
// RUN: FileCheck %s --check-prefix=COPYRIGHT < %t/root/usr/share/doc/pipe-tidy-llvm%llvm_version/copyright
// COPYRIGHT: Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
// COPYRIGHT: License: Apache-2.0 with LLVM exception
// COPYRIGHT: /usr/share/common-licenses/Apache-2.0
// COPYRIGHT: LLVM Exceptions to the Apache 2.0 License
// RUN: gzip -dc %t/root/usr/share/doc/pipe-tidy-llvm%llvm_version/changelog.Debian.gz | FileCheck %s --check-prefix=CHANGELOG
// CHANGELOG: pipe-tidy-llvm[[#]] ([[#]].[[#]].[[#]]-1) unstable; urgency=medium
// CHANGELOG: -- pipe-tidy maintainers <pipe-tidy@example.org>
//
// Stripped: no symbol table left in the plugin or the executables.
// RUN: %python -c "import sys; data = open(sys.argv[1], 'rb').read(); sys.exit(b'.symtab' in data)" %t/root/usr/lib/pipe-tidy/PipeTidy-llvm%llvm_version.so
// RUN: %python -c "import sys; data = open(sys.argv[1], 'rb').read(); sys.exit(b'.symtab' in data)" %t/root/usr/bin/pipe-clang-tidy

#include <unistd.h>

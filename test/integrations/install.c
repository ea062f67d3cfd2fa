// cmake --install and the .deb: the install layout, the wrapper finding the
// installed plugin, find_package(PipeTidy) with CMAKE_C_CLANG_TIDY in a
// consumer project, and the package's contents and dependencies.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %build_dir --prefix %t/prefix > %t/install.txt
// RUN: %t/prefix/bin/pipe-tidy --clang-tidy %clang_tidy --print-plugin | FileCheck %s --check-prefix=PREFIX
// PREFIX: {{.*}}/prefix/lib/pipe-tidy/PipeTidy-llvm[[#]].so
// RUN: %t/prefix/bin/pipe-tidy --clang-tidy %clang_tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=WARN
// WARN: 6 pipe checks active
// WARN: install.c:{{[0-9]+}}:15: warning: read from 'fds[0]' blocks forever
//
// The installed documentation (cmake/stage-docs.py lays it out): every
// relative link in every installed .md resolves to an installed file, the
// CI jobs that usage.md tells users to copy and the examples the check
// pages point to are there, and so is the license.
// RUN: %python %S/../tools/check_doc_links.py %t/prefix/share/doc/pipe-tidy | FileCheck %s --check-prefix=LINKS
// LINKS: {{[1-9][0-9]*}} links in {{[1-9][0-9]*}} files, 0 dead
// RUN: cd %t/prefix/share/doc/pipe-tidy && ls README.md LICENSE usage.md checks/pipe-self-deadlock.md examples/ci/github-actions.yml examples/ci/gitlab-ci.yml examples/correct.c > %t/docs.txt
// The installed pipe-tidy-sarif takes its rules' help from the installed
// pages, and every file it links to (examples/correct.c among them) exists:
// RUN: echo "" | %t/prefix/bin/pipe-tidy-sarif -o %t/rules.sarif
// RUN: FileCheck %s --check-prefix=SARIF < %t/rules.sarif
// SARIF: "helpUri": "file://{{.*}}/prefix/share/doc/pipe-tidy/checks/pipe-unclosed-write-end.md"
// SARIF: (file://{{.*}}/prefix/share/doc/pipe-tidy/examples/correct.c)
// RUN: %python %S/../tools/check_doc_links.py --file-uris %t/rules.sarif | FileCheck %s --check-prefix=SARIF-LINKS
// SARIF-LINKS: {{[1-9][0-9]*}} file URIs, 0 dead
//
// A CMake project finds the package and runs the checks as it compiles:
// RUN: cmake -S %S/Inputs/cmake-consumer -B %t/consumer -DCMAKE_PREFIX_PATH=%t/prefix -DPipeTidy_LLVM_VERSION=%llvm_version -DREADER=%s > %t/configure.txt
// RUN: FileCheck %s --check-prefix=CONFIGURE < %t/configure.txt
// CONFIGURE: PipeTidy: LLVM [[#]], plugin {{.*}}/prefix/lib/pipe-tidy/PipeTidy-llvm[[#]].so
// RUN: cmake --build %t/consumer > %t/build.txt 2>&1
// RUN: FileCheck %s --check-prefix=BUILD < %t/build.txt
// BUILD: install.c:{{[0-9]+}}:15: warning: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock]
//
// Asking for a major that is not installed fails at configure time:
// RUN: not cmake -S %S/Inputs/cmake-consumer -B %t/consumer-none -DCMAKE_PREFIX_PATH=%t/prefix -DPipeTidy_LLVM_VERSION=1 -DREADER=%s > %t/none.txt 2>&1
// RUN: FileCheck %s --check-prefix=NONE < %t/none.txt
// NONE: PipeTidy
//
// The .deb: its files, its dependency, and the wrapper finding the plugin
// where the package puts it:
// RUN: cd %build_dir && cpack -G DEB -B %t/deb -D CPACK_DEBIAN_FILE_NAME=pipe-tidy.deb > %t/cpack.txt
// RUN: dpkg-deb -c %t/deb/pipe-tidy.deb | FileCheck %s --check-prefix=DEB
// DEB-DAG: ./usr/bin/pipe-tidy
// DEB-DAG: ./usr/bin/pipe-tidy-sarif
// DEB-DAG: ./usr/bin/pipe-tidy-html
// DEB-DAG: ./usr/lib/pipe-tidy/PipeTidy-llvm[[#]].so
// DEB-DAG: ./usr/lib/cmake/PipeTidy-llvm[[#]]/PipeTidyConfig.cmake
// DEB-DAG: ./usr/share/doc/pipe-tidy/checks/pipe-wait-before-drain.md
// DEB-DAG: ./usr/bin/pipe-clang-tidy
// pipe-clangd and its .clangd where the LLVM has clangdMain (17+), and not
// elsewhere (lit.cfg.py's %clangd_prefix names the set of lines, and
// %clangd_absent forbids pipe-clangd where there is none):
// RUN: dpkg-deb -c %t/deb/pipe-tidy.deb | FileCheck %s --check-prefix=%clangd_prefix %clangd_absent
// CLANGD-DAG: ./usr/bin/pipe-clangd
// CLANGD-DAG: ./usr/share/pipe-tidy/clangd-config.yaml
// NO-CLANGD: ./usr/bin/pipe-tidy
// RUN: dpkg-deb -f %t/deb/pipe-tidy.deb Package Depends | FileCheck %s --check-prefix=CONTROL
// CONTROL: Package: pipe-tidy-llvm[[#]]
// CONTROL: Depends: clang-tidy-[[#]], python3, {{.*}}libc6
// RUN: dpkg-deb -x %t/deb/pipe-tidy.deb %t/root
// RUN: %t/root/usr/bin/pipe-tidy --clang-tidy %clang_tidy --print-plugin | FileCheck %s --check-prefix=UNPACKED
// UNPACKED: {{.*}}/root/usr/lib/pipe-tidy/PipeTidy-llvm[[#]].so

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

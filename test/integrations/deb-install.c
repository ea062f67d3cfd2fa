// The .deb installs on this Debian machine with apt (pulling its
// dependencies), and the installed pipe-tidy finds the installed plugin and
// reports; then it is removed again. It changes the machine, so it runs
// only where PIPE_TIDY_TEST_INSTALL_DEB=1 says so, as root (.ci/run does).
//
// REQUIRES: install-deb
// RUN: rm -rf %t && mkdir -p %t
// RUN: cd %build_dir && cpack -G DEB -B %t -D CPACK_DEBIAN_FILE_NAME=pipe-tidy.deb > %t/cpack.txt
// RUN: env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 %t/pipe-tidy.deb > %t/apt.txt 2>&1
// RUN: /usr/bin/pipe-tidy --clang-tidy %clang_tidy --print-plugin | FileCheck %s --check-prefix=PLUGIN
// PLUGIN: /usr/lib/pipe-tidy/PipeTidy-llvm[[#]].so
// (--config={}: not this repository's own .clang-tidy, which names checks
// that older majors do not have and --verify-config rejects.)
// RUN: cd %t && /usr/bin/pipe-tidy --clang-tidy %clang_tidy --config={} -checks='-*,pipe-*' %s -- 2>&1 | FileCheck %s --check-prefix=WARN
// WARN: 6 pipe checks active
// WARN: deb-install.c:{{[0-9]+}}:15: warning: read from 'fds[0]' blocks forever
// RUN: dpkg -L pipe-tidy-llvm%llvm_version | FileCheck %s --check-prefix=FILES
// FILES-DAG: /usr/share/doc/pipe-tidy/checks/pipe-self-copy.md
// FILES-DAG: /usr/share/doc/pipe-tidy/examples/ci/github-actions.yml
// FILES-DAG: /usr/share/doc/pipe-tidy-llvm[[#]]/copyright
// FILES-DAG: /usr/share/man/man1/pipe-tidy.1.gz
// The installed docs' links resolve where dpkg put them:
// RUN: %python %S/../tools/check_doc_links.py /usr/share/doc/pipe-tidy | FileCheck %s --check-prefix=LINKS
// LINKS: {{[1-9][0-9]*}} links in {{[1-9][0-9]*}} files, 0 dead
//
// The executables with the checks built in find clang's built-in headers
// from /usr/bin (stddef.h, which the session's file includes):
// RUN: %if pipe-clang-tidy %{ /usr/bin/pipe-clang-tidy --config={} -checks='-*,pipe-*' %S/Inputs/pipe-clangd/wait_for_token.c -- 2>&1 | FileCheck %s --check-prefix=TIDY %}
// TIDY: wait_for_token.c:10:15: warning: read from 'fds[0]' blocks forever
// RUN: mkdir -p %t/project %t/xdg && cp %S/Inputs/pipe-clangd/wait_for_token.c %t/project/
// RUN: %if pipe-clangd %{ cp /usr/share/pipe-tidy/clangd-config.yaml %t/project/.clangd %}
// RUN: %python %S/../tools/lsp_session.py %t/project/wait_for_token.c > %t/session.jsonrpc
// RUN: %if pipe-clangd %{ env XDG_CONFIG_HOME=%t/xdg /usr/bin/pipe-clangd -lit-test --enable-config < %t/session.jsonrpc 2> %t/clangd.log | FileCheck %s --check-prefix=CLANGD --implicit-check-not='file not found' %}
// CLANGD: "code": "pipe-self-deadlock",
// RUN: env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o DPkg::Lock::Timeout=600 pipe-tidy-llvm%llvm_version > %t/remove.txt 2>&1

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

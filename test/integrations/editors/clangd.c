// pipe-clangd as the editors' clangd clients start it: VS Code's clangd
// extension (clangd.path, clangd.arguments), Neovim's vim.lsp.config /
// nvim-lspconfig (cmd = {'pipe-clangd', ...}), eglot (eglot-server-programs)
// and lsp-mode (lsp-clients-clangd-executable, lsp-clients-clangd-args) all
// run the command over stdio and show the publishDiagnostics it sends.
// Inputs/lsp_client.py is such a client.
//
// REQUIRES: pipe-clangd
// RUN: rm -rf %t && mkdir -p %t/proj/out %t/xdg && cp %s %t/proj/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf '[{"directory": "%t/proj/out", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -DFROM_COMPILE_COMMANDS -c %t/proj/reader.c"}]' > %t/proj/out/compile_commands.json
//
// The .clangd of docs/editors.md: our checks added, clangd's filter of
// slow checks off. The arguments (clangd.arguments) reach clangd: the
// second finding is compiled in only by the flags in out/, a directory
// clangd does not search by itself (it looks in the file's directories
// and their build/ subdirectories):
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [pipe-*]\n    FastCheckFilter: None\n' > %t/proj/.clangd
// RUN: %python %S/Inputs/lsp_client.py --root %t/proj --file %t/proj/reader.c --stderr %t/clangd.log -- %build_dir/bin/pipe-clangd --compile-commands-dir=out > %t/diags.txt
// RUN: FileCheck %s --check-prefix=LSP < %t/diags.txt
// LSP: DIAG [[@LINE+45]]:2 2 clang-tidy pipe-unclosed-write-end 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe
// LSP: DIAG [[@LINE+44]]:14 2 clang-tidy pipe-self-deadlock Read from 'fds[0]' blocks forever
// LSP: DIAG [[@LINE+53]]:{{[0-9]+}} 2 clang-tidy pipe-self-deadlock Read from 'p[0]' blocks forever
//
// Without the argument the second read is not compiled:
// RUN: %python %S/Inputs/lsp_client.py --root %t/proj --file %t/proj/reader.c -- %build_dir/bin/pipe-clangd | FileCheck %s --check-prefix=NOFLAGS --implicit-check-not="'p[0]'"
// NOFLAGS: DIAG [[@LINE+39]]:14 2 clang-tidy pipe-self-deadlock
//
// The checks may come from .clang-tidy alone, with no .clangd: clangd reads
// it too, and pipe-clangd's FastCheckFilter keeps the pipe checks:
// RUN: printf 'Checks: "-*,pipe-self-deadlock"\n' > %t/proj/.clang-tidy
// RUN: rm %t/proj/.clangd
// RUN: %python %S/Inputs/lsp_client.py --root %t/proj --file %t/proj/reader.c -- %build_dir/bin/pipe-clangd | FileCheck %s --check-prefix=TIDYFILE --implicit-check-not=pipe-unclosed-write-end
// TIDYFILE: DIAG [[@LINE+32]]:14 2 clang-tidy pipe-self-deadlock
//
// A .clangd that adds pipe-* without FastCheckFilter: None is enough too.
// clangd (18 and later) runs only the checks it knows to be fast unless
// told otherwise; pipe-clangd counts the pipe checks among them:
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [pipe-*]\n' > %t/proj/.clangd
// RUN: rm %t/proj/.clang-tidy
// RUN: %python %S/Inputs/lsp_client.py --root %t/proj --file %t/proj/reader.c -- %build_dir/bin/pipe-clangd | FileCheck %s --check-prefix=FILTERED
// FILTERED: DIAG [[@LINE+24]]:2 2 clang-tidy pipe-unclosed-write-end
// FILTERED: DIAG [[@LINE+23]]:14 2 clang-tidy pipe-self-deadlock
//
// No configuration at all (no .clangd, no .clang-tidy in any directory
// above): the pipe checks run with clangd's default checks.
// RUN: env XDG_CONFIG_HOME=%t/xdg %python %S/Inputs/outside_repo.py --copy %s -- %python %S/Inputs/lsp_client.py --root @DIR@ --file @DIR@/clangd.c -- %build_dir/bin/pipe-clangd > %t/noconfig.txt
// RUN: FileCheck %s --check-prefix=NOCONFIG < %t/noconfig.txt
// NOCONFIG: DIAG [[@LINE+17]]:2 2 clang-tidy pipe-unclosed-write-end
// NOCONFIG: DIAG [[@LINE+16]]:14 2 clang-tidy pipe-self-deadlock
//
// No .clangd, and a .clang-tidy (%t's) that names checks without pipe-*:
// that choice is the user's, and no pipe check runs; clangd's log says why.
// RUN: rm %t/proj/.clangd
// RUN: %python %S/Inputs/lsp_client.py --root %t/proj --file %t/proj/reader.c --stderr %t/none.log -- %build_dir/bin/pipe-clangd | FileCheck %s --check-prefix=NONE
// NONE: NO-DIAGNOSTICS
// RUN: FileCheck %s --check-prefix=NONE-LOG < %t/none.log
// NONE-LOG: pipe-clangd: the clang-tidy checks configured for {{.*}}/proj/reader.c enable no pipe-* check (Checks: '-*{{.*}}'); add pipe-* to the Checks of .clang-tidy or to Diagnostics: ClangTidy: Add: in .clangd

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

#ifdef FROM_COMPILE_COMMANDS
int wait_for_byte(void) {
  int p[2];
  char c;
  if (pipe(p) != 0)
    return -1;
  c = 0;
  (void)read(p[0], &c, 1);
  close(p[0]);
  close(p[1]);
  return c;
}
#endif

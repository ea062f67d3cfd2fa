// The real Neovim of Debian 12 (the neovim package, 0.7.2: no vim.lsp.start,
// no vim.lsp.config, no nvim-lspconfig) in headless mode, with the init.lua
// of docs/editors.md#the-built-in-lsp-client, taken from the page: it starts
// pipe-clangd (found on PATH, as the recipe says) for a C buffer, and the
// findings reach Neovim's diagnostics. Inputs/nvim-diagnostics.lua waits for
// them and writes what vim.diagnostic.get() holds (1-based lines/columns).
//
// REQUIRES: neovim, pipe-clangd
// RUN: rm -rf %t && mkdir -p %t/proj %t/xdg && cp %s %t/proj/reader.c
// RUN: %python %S/Inputs/doc_block.py %repo_root/docs/editors.md 'vim.lsp.start_client' > %t/init.lua
//
// A project whose .clang-tidy enables the pipe checks, and no .clangd:
// RUN: printf 'Checks: "-*,pipe-*"\n' > %t/proj/.clang-tidy
// RUN: cd %t/proj && env PATH=%build_dir/bin:/usr/bin:/bin XDG_CONFIG_HOME=%t/xdg XDG_DATA_HOME=%t/xdg XDG_CACHE_HOME=%t/xdg XDG_STATE_HOME=%t/xdg NVIM_OUT=%t/tidyfile.txt \
// RUN:     timeout 300 nvim --headless -i NONE -u %t/init.lua reader.c -c 'luafile %S/Inputs/nvim-diagnostics.lua'
// RUN: FileCheck %s --check-prefix=DIAG --implicit-check-not=TIMEOUT < %t/tidyfile.txt
// DIAG:      CLIENT pipe-clangd
// DIAG-NEXT: DIAG [[@LINE+29]]:3 WARN clang-tidy pipe-unclosed-write-end 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here;
// DIAG-NEXT: DIAG [[@LINE+28]]:15 WARN clang-tidy pipe-self-deadlock Read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]'
//
// A project with no configuration at all (outside the repository, whose
// .clang-tidy the test directory inherits): pipe-clangd runs the pipe
// checks by default.
// RUN: env PATH=%build_dir/bin:/usr/bin:/bin XDG_CONFIG_HOME=%t/xdg XDG_DATA_HOME=%t/xdg XDG_CACHE_HOME=%t/xdg XDG_STATE_HOME=%t/xdg NVIM_OUT=%t/noconfig.txt \
// RUN:     %python %S/Inputs/outside_repo.py --copy %s -- \
// RUN:     timeout 300 nvim --headless -i NONE -u %t/init.lua @DIR@/neovim-lsp.c -c 'luafile %S/Inputs/nvim-diagnostics.lua'
// RUN: FileCheck %s --check-prefix=DIAG --implicit-check-not=TIMEOUT < %t/noconfig.txt
//
// pipe-clangd not on PATH: Neovim says so, and the buffer gets no client
// (no error from the recipe itself).
// RUN: cd %t/proj && env PATH=/usr/bin:/bin XDG_CONFIG_HOME=%t/xdg XDG_DATA_HOME=%t/xdg XDG_CACHE_HOME=%t/xdg XDG_STATE_HOME=%t/xdg NVIM_OUT=%t/missing.txt NVIM_WAIT_MS=3000 \
// RUN:     timeout 300 nvim --headless -i NONE -u %t/init.lua reader.c -c 'luafile %S/Inputs/nvim-diagnostics.lua' > %t/missing.log 2>&1
// RUN: FileCheck %s --check-prefix=MISSING < %t/missing.txt
// MISSING:      TIMEOUT
// MISSING-NOT:  CLIENT
// MISSING:      NO-DIAGNOSTICS
// RUN: FileCheck %s --check-prefix=MISSING-MSG < %t/missing.log
// MISSING-MSG:  Spawning language server with cmd: `pipe-clangd` failed. The language server is either not installed, missing from PATH, or not executable.

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

// pipe-clangd: clangd with the pipe checks built in. An editor opens a file
// over the Language Server Protocol; the pipe findings arrive in
// textDocument/publishDiagnostics, with the note at the pipe's creation as
// relatedInformation.
//
// REQUIRES: pipe-clangd
// RUN: rm -rf %t && mkdir -p %t/project %t/xdg
// RUN: cp %S/Inputs/pipe-clangd/wait_for_token.c %t/project/
// RUN: %python %S/../tools/lsp_session.py %t/project/wait_for_token.c > %t/session.jsonrpc
//
// With the .clangd we ship (tools/pipe-clangd/clangd-config.yaml); the
// user's own clangd configuration is kept out by XDG_CONFIG_HOME:
// RUN: cp %repo_root/tools/pipe-clangd/clangd-config.yaml %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd.log | FileCheck %s --check-prefix=DIAG \
// RUN:     --implicit-check-not='file not found' --implicit-check-not=clangd-config
//
// DIAG:      "method": "textDocument/publishDiagnostics",
// DIAG:      "code": "pipe-unclosed-write-end",
// DIAG:      "message": "Write end 'fds[1]' of the pipe is still open when 'wait_for_token' returns here;{{.*}}close it on this path",
// DIAG-NEXT: "range": {
// DIAG-NEXT:   "end": {
// DIAG-NEXT:     "character": 8,
// DIAG-NEXT:     "line": 9
// DIAG:      "relatedInformation": [
// DIAG:            "start": {
// DIAG-NEXT:         "character": 6,
// DIAG-NEXT:         "line": 7
// DIAG:          "uri": "file://{{.*}}/project/wait_for_token.c"
// DIAG:        "message": "Pipe created here"
// DIAG:      "source": "clang-tidy"
// DIAG:      "code": "pipe-self-deadlock",
// DIAG:      "message": "Read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]'{{.*}}"
// DIAG-NEXT: "range": {
// DIAG-NEXT:   "end": {
// DIAG-NEXT:     "character": 18,
// DIAG-NEXT:     "line": 9
// DIAG:        "message": "Pipe created here"
// DIAG:      "uri": "file://{{.*}}/project/wait_for_token.c",
// DIAG-NEXT: "version": 1
//
// Copied anywhere (no lib/clang next to it), it still finds clang's built-in
// headers (stddef.h):
// RUN: mkdir -p %t/opt/bin && cp %build_dir/bin/pipe-clangd %t/opt/bin/
// RUN: env XDG_CONFIG_HOME=%t/xdg %t/opt/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-copy.log | FileCheck %s --check-prefix=DIAG \
// RUN:     --implicit-check-not='file not found' --implicit-check-not=clangd-config
//
// Why the shipped .clangd says FastCheckFilter: None. clangd 18 and later
// run only the checks it has timed; without that line it stays silent about
// pipes (it does not even warn when the checks are named by a glob):
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [pipe-*]\n' > %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-strict.log | FileCheck %s --check-prefix=STRICT
// STRICT:     "method": "textDocument/publishDiagnostics",
// STRICT-NOT: "code": "pipe-
// STRICT:     "uri": "file://{{.*}}/project/wait_for_token.c",
//
// And without any configuration, none of the pipe checks runs (clangd's
// default checks are a fixed list):
// RUN: rm %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-none.log | FileCheck %s --check-prefix=STRICT
//
// The same configuration can be the user's, for every project:
// RUN: mkdir -p %t/xdg/clangd && cp %repo_root/tools/pipe-clangd/clangd-config.yaml %t/xdg/clangd/config.yaml
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-user.log | FileCheck %s --check-prefix=DIAG \
// RUN:     --implicit-check-not='file not found' --implicit-check-not=clangd-config

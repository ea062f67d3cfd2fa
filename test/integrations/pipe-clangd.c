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
// RUN:     < %t/session.jsonrpc 2> %t/clangd.log > %t/clangd.out
// RUN: FileCheck %s --check-prefix=DIAG --implicit-check-not='file not found' \
// RUN:     --implicit-check-not=clangd-config < %t/clangd.out
//
// DIAG:      "method": "textDocument/publishDiagnostics",
// DIAG:      "code": "pipe-unclosed-write-end",
// DIAG-NEXT: "codeDescription": {
// DIAG-NEXT:   "href": "file://{{.*}}/checks/pipe-unclosed-write-end.md"
// DIAG:      "message": "'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here;{{.*}}close them on this path",
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
// DIAG-NEXT: "codeDescription": {
// DIAG-NEXT:   "href": "file://{{.*}}/checks/pipe-self-deadlock.md"
// DIAG:      "message": "Read from 'fds[0]' blocks forever: this thread holds the only write end 'fds[1]'{{.*}}"
// DIAG-NEXT: "range": {
// DIAG-NEXT:   "end": {
// DIAG-NEXT:     "character": 18,
// DIAG-NEXT:     "line": 9
// DIAG:        "message": "Pipe created here"
// DIAG:      "uri": "file://{{.*}}/project/wait_for_token.c",
// DIAG-NEXT: "version": 1
//
// clangd links a clang-tidy code to clang.llvm.org/extra/clang-tidy/checks/
// <module>/<check>.html, which does not exist for ours; pipe-clangd links
// our page instead (tools/pipe-clangd/DocLinkRewriter.h). From the build
// tree that is the source tree's page:
// RUN: FileCheck %s --check-prefix=LINK < %t/clangd.out
// LINK: "href": "file://[[DOCS:.*]]/docs/checks/pipe-unclosed-write-end.md"
// RUN: test -f %repo_root/docs/checks/pipe-unclosed-write-end.md
//
// As an editor talks to it: messages framed by Content-Length, which the
// rewriting must keep exact (lsp_frames.py fails on a wrong length), and
// clangd's own links to stock checks untouched:
// RUN: cp %S/Inputs/pipe-clangd/stock_check.c %t/project/
// RUN: %python %S/../tools/lsp_session.py --framed %t/project/wait_for_token.c > %t/framed.lsp
// RUN: %python %S/../tools/lsp_session.py --framed %t/project/stock_check.c > %t/stock.lsp
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd --enable-config --sync < %t/framed.lsp 2> %t/framed.log \
// RUN:     | %python %S/../tools/lsp_frames.py | FileCheck %s --check-prefix=FRAMED
// FRAMED: "code": "pipe-unclosed-write-end", "codeDescription": {"href": "file://{{.*}}/checks/pipe-unclosed-write-end.md"}
// FRAMED: "code": "pipe-self-deadlock", "codeDescription": {"href": "file://{{.*}}/checks/pipe-self-deadlock.md"}
// FRAMED: "id": 1, "jsonrpc": "2.0", "result": null
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd --enable-config --sync < %t/stock.lsp 2> %t/stock.log \
// RUN:     | %python %S/../tools/lsp_frames.py | FileCheck %s --check-prefix=STOCK
// STOCK: "code": "bugprone-sizeof-expression", "codeDescription": {"href": "https://clang.llvm.org/extra/clang-tidy/checks/bugprone/sizeof-expression.html"}
//
// Copied anywhere (no lib/clang next to it), it still finds clang's built-in
// headers (stddef.h):
// RUN: mkdir -p %t/opt/bin && cp %build_dir/bin/pipe-clangd %t/opt/bin/
// RUN: env XDG_CONFIG_HOME=%t/xdg %t/opt/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-copy.log | FileCheck %s --check-prefix=DIAG \
// RUN:     --implicit-check-not='file not found' --implicit-check-not=clangd-config
//
// Without FastCheckFilter: None, clangd 18 and later run only the checks
// they have timed as fast; pipe-clangd counts the pipe checks among them
// (tools/pipe-clangd/ClangdDefaults.cpp), so a .clangd that only adds them
// is enough:
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [pipe-*]\n' > %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-strict.log | FileCheck %s --check-prefix=DIAG
//
// And so is FastCheckFilter: Strict, said outright:
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [pipe-*]\n    FastCheckFilter: Strict\n' > %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-strict2.log | FileCheck %s --check-prefix=DIAG
//
// Without a .clangd, the .clang-tidy files above the file choose the
// checks, as in clangd. Here that is the repository's own, which names
// checks but no pipe-* check: none runs, and the log says why.
// RUN: rm %t/project/.clangd
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-none.log | FileCheck %s --check-prefix=NOPIPE
// NOPIPE:     "method": "textDocument/publishDiagnostics",
// NOPIPE-NOT: "code": "pipe-
// NOPIPE:     "uri": "file://{{.*}}/project/wait_for_token.c",
// RUN: FileCheck %s --check-prefix=NOPIPE-LOG < %t/clangd-none.log
// NOPIPE-LOG: pipe-clangd: the clang-tidy checks configured for {{.*}}/project/wait_for_token.c enable no pipe-* check
// (With no configuration at all, the pipe checks run:
// test/integrations/editors/clangd.c.)
//
// The same configuration can be the user's, for every project:
// RUN: mkdir -p %t/xdg/clangd && cp %repo_root/tools/pipe-clangd/clangd-config.yaml %t/xdg/clangd/config.yaml
// RUN: env XDG_CONFIG_HOME=%t/xdg %build_dir/bin/pipe-clangd -lit-test --enable-config \
// RUN:     < %t/session.jsonrpc 2> %t/clangd-user.log | FileCheck %s --check-prefix=DIAG \
// RUN:     --implicit-check-not='file not found' --implicit-check-not=clangd-config
//
// --version: pipe-tidy's version (project() in CMakeLists.txt) first, then
// clangd's banner, whose features do not claim the remote index (+grpc),
// which pipe-clangd does not link (tools/pipe-clangd/NoRemoteIndex.cpp);
// neither does the serverInfo it sends an editor:
// RUN: grep -o 'project(pipe-tidy VERSION [0-9.]*' %repo_root/CMakeLists.txt > %t/version.txt
// RUN: %build_dir/bin/pipe-clangd --version >> %t/version.txt
// RUN: FileCheck %s -DLLVM=%llvm_version --check-prefix=VERSION --implicit-check-not=grpc < %t/version.txt
// VERSION:      project(pipe-tidy VERSION [[V:[0-9]+\.[0-9]+\.[0-9]+]]
// VERSION-NEXT: pipe-tidy version [[V]] (pipe-clangd, LLVM [[LLVM]])
// VERSION-NEXT: clangd version [[LLVM]].
// VERSION-NEXT: Features: linux
// RUN: FileCheck %s -DLLVM=%llvm_version --check-prefix=SERVERINFO --implicit-check-not=grpc < %t/clangd.out
// SERVERINFO: "serverInfo": {
// SERVERINFO: "version": "{{.*}}clangd version [[LLVM]].{{.*}} linux

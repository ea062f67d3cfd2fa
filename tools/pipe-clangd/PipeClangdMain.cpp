//===--- PipeClangdMain.cpp - clangd with the pipe-* checks built in ------===//
//
// pipe-clangd is clangd (from the LLVM packages' clangdMain library) with
// pipe-tidy's module linked in, so that an editor shows pipe findings as you
// type: clangd cannot load clang-tidy plugins, it runs the checks linked into
// it. Same options and protocol as clangd, with two defaults of its own
// (ClangdDefaults.cpp): when no configuration names clang-tidy checks, the
// pipe checks run with clangd's default ones, and clangd's FastCheckFilter
// never drops them. A .clang-tidy that names checks, or a .clangd
// (tools/pipe-clangd/clangd-config.yaml), chooses as in clangd.
//
// It finds clang's built-in headers wherever it is installed
// (tools/common/ResourceDir.h), and links each finding to our page for its
// check instead of a clang.llvm.org page that does not exist
// (DocLinkRewriter.h). --version prints pipe-tidy's version before
// clangd's banner (tools/common/ToolVersion.h).
//
//===----------------------------------------------------------------------===//
#include "DocLinkRewriter.h"
#include "ResourceDir.h"
#include "ToolVersion.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <string>

#include <vector>

namespace clang::clangd {
// libclangdMain.a (clang-tools-extra/clangd/tool/ClangdMain.cpp); the LLVM
// packages install the library but not its header.
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

namespace clang::tidy {
// The module's anchor (checker/PipeTidyModule.cpp): referencing it keeps the
// module's registration in the executable.
extern volatile int PipeTidyModuleAnchorSource;
} // namespace clang::tidy

namespace {
pipe_tidy::StdoutLinkRewriter LinkRewriter;

/// Only a language server's output is LSP; --check, --help and --version
/// print text.
bool isLanguageServer(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef A(Argv[I]);
    A = A.ltrim('-');
    if (A.starts_with("check") || A.starts_with("help") || A.starts_with("version"))
      return false;
  }
  return true;
}
} // namespace

int main(int argc, char **argv) {
  (void)clang::tidy::PipeTidyModuleAnchorSource;
  if (pipe_tidy::asksForVersion(argc, argv))
    pipe_tidy::printVersionLine(llvm::outs(), "pipe-clangd");
  // clangd's links to our checks' pages (DocLinkRewriter.h). clangd may
  // end the process with exit(): the rewriter stops in an atexit handler,
  // registered after llvm::outs() exists so that it runs before outs() is
  // destroyed.
  std::string Docs = pipe_tidy::findCheckDocsUri(argv[0], PIPE_TIDY_SOURCE_DOCS);
  (void)llvm::outs();
  if (!Docs.empty() && isLanguageServer(argc, argv) && LinkRewriter.start(Docs))
    std::atexit([] { LinkRewriter.stop(); });
  std::vector<char *> Args(argv, argv + argc);
  static char ResourceArg[] = "--resource-dir=" PIPE_TIDY_RESOURCE_DIR;
  if (pipe_tidy::needsResourceDir(argc, argv))
    Args.insert(Args.begin() + 1, ResourceArg);
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(int(Args.size()) - 1, Args.data());
}

//===--- PipeClangTidyMain.cpp - clang-tidy with the pipe-* checks built in ===//
//
// pipe-clang-tidy is clang-tidy (every stock check, from the LLVM packages'
// clangTidyMain library) with pipe-tidy's module linked in, for tools that
// take a clang-tidy executable but no --load option (CLion, cpp-linter,
// Bazel aspects). Same options and output as clang-tidy. It finds clang's
// built-in headers wherever it is installed (tools/common/ResourceDir.h).
// --version prints pipe-tidy's version before clang-tidy's banner
// (tools/common/ToolVersion.h).
//
//===----------------------------------------------------------------------===//
#include "ResourceDir.h"
#include "ToolVersion.h"
#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace clang::tidy {
// The module's anchor (checker/PipeTidyModule.cpp): referencing it keeps the
// module's registration in the executable.
extern volatile int PipeTidyModuleAnchorSource;
} // namespace clang::tidy

int main(int argc, const char **argv) {
  (void)clang::tidy::PipeTidyModuleAnchorSource;
  if (pipe_tidy::asksForVersion(argc, argv))
    pipe_tidy::printVersionLine(llvm::outs(), "pipe-clang-tidy");
  std::vector<const char *> Args(argv, argv + argc);
  static const char ResourceArg[] =
      "--extra-arg-before=-resource-dir=" PIPE_TIDY_RESOURCE_DIR;
  if (argc > 1 && pipe_tidy::needsResourceDir(argc, argv))
    Args.insert(Args.begin() + 1, ResourceArg);
  return clang::tidy::clangTidyMain(int(Args.size()), Args.data());
}

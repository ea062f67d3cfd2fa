//===--- PipeClangTidyMain.cpp - clang-tidy with the pipe-* checks built in ===//
//
// pipe-clang-tidy is clang-tidy (every stock check, from the LLVM packages'
// clangTidyMain library) with pipe-tidy's module linked in, for tools that
// take a clang-tidy executable but no --load option (CLion, cpp-linter,
// Bazel aspects). Same options and output as clang-tidy.
//
// Clang finds its built-in headers (stddef.h, stdarg.h) in a resource
// directory next to the executable (../lib/clang/NN). Installed anywhere
// else, this tool would not find them, so unless that directory exists or
// the user names one, it passes the LLVM installation's resource directory,
// recorded at build time.
//
//===----------------------------------------------------------------------===//
#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <string>
#include <vector>

#ifndef PIPE_TIDY_RESOURCE_DIR
#error "PIPE_TIDY_RESOURCE_DIR must be defined by the build"
#endif

namespace clang::tidy {
// The module's anchor (checker/PipeTidyModule.cpp): referencing it keeps the
// module's registration in the executable.
extern volatile int PipeTidyModuleAnchorSource;
} // namespace clang::tidy

namespace {
/// Does the resource directory clang would derive from \p Argv0 hold the
/// built-in headers?
bool hasOwnResourceDir(const char *Argv0) {
  std::string Exe =
      llvm::sys::fs::getMainExecutable(Argv0, reinterpret_cast<void *>(&hasOwnResourceDir));
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Dir, "..", "lib", "clang");
  llvm::sys::path::append(Dir, llvm::sys::path::filename(PIPE_TIDY_RESOURCE_DIR),
                          "include", "stddef.h");
  return llvm::sys::fs::exists(Dir);
}
} // namespace

int main(int argc, const char **argv) {
  (void)clang::tidy::PipeTidyModuleAnchorSource;
  std::vector<const char *> Args(argv, argv + argc);
  bool UserGaveOne = false;
  for (int I = 1; I < argc; ++I)
    UserGaveOne |= std::strstr(argv[I], "-resource-dir") != nullptr;
  static const char ResourceArg[] =
      "--extra-arg-before=-resource-dir=" PIPE_TIDY_RESOURCE_DIR;
  if (!UserGaveOne && argc > 1 && !hasOwnResourceDir(argv[0]))
    Args.insert(Args.begin() + 1, ResourceArg);
  return clang::tidy::clangTidyMain(int(Args.size()), Args.data());
}

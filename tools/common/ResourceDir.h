//===--- ResourceDir.h - where pipe-clang-tidy/pipe-clangd find headers ---===//
//
// Clang finds its built-in headers (stddef.h, stdarg.h) in a resource
// directory next to the executable (../lib/clang/NN). Installed anywhere
// else, pipe-clang-tidy and pipe-clangd would not find them, so unless that
// directory exists or the user names one, they pass the LLVM installation's
// resource directory, recorded at build time as PIPE_TIDY_RESOURCE_DIR.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_TOOLS_COMMON_RESOURCEDIR_H
#define PIPE_TIDY_TOOLS_COMMON_RESOURCEDIR_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <string>

#ifndef PIPE_TIDY_RESOURCE_DIR
#error "PIPE_TIDY_RESOURCE_DIR must be defined by the build"
#endif

namespace pipe_tidy {

/// Does the resource directory clang would derive from \p Argv0 hold the
/// built-in headers?
inline bool hasOwnResourceDir(const char *Argv0) {
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&hasOwnResourceDir));
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Dir, "..", "lib", "clang");
  llvm::sys::path::append(Dir, llvm::sys::path::filename(PIPE_TIDY_RESOURCE_DIR),
                          "include", "stddef.h");
  return llvm::sys::fs::exists(Dir);
}

/// Should the tool add a resource directory to \p Argv? Not when the user
/// gave one (any spelling containing "-resource-dir") or when the
/// executable has its own.
inline bool needsResourceDir(int Argc, const char *const *Argv) {
  for (int I = 1; I < Argc; ++I)
    if (std::strstr(Argv[I], "-resource-dir"))
      return false;
  return !hasOwnResourceDir(Argv[0]);
}

} // namespace pipe_tidy

#endif // PIPE_TIDY_TOOLS_COMMON_RESOURCEDIR_H

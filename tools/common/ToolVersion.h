//===--- ToolVersion.h - pipe-tidy's own line in --version ----------------===//
//
// pipe-clang-tidy --version and pipe-clangd --version print clang-tidy's or
// clangd's banner, which names only the LLVM the executable was linked
// from. Both print pipe-tidy's version first, from CMake's
// project(pipe-tidy VERSION x.y.z), passed as PIPE_TIDY_VERSION.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_TOOLS_COMMON_TOOLVERSION_H
#define PIPE_TIDY_TOOLS_COMMON_TOOLVERSION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#ifndef PIPE_TIDY_VERSION
#error "PIPE_TIDY_VERSION must be defined by the build"
#endif
#ifndef PIPE_TIDY_LLVM_MAJOR
#error "PIPE_TIDY_LLVM_MAJOR must be defined by the build"
#endif

namespace pipe_tidy {

/// Does the command line ask for the version? Spelt as LLVM's option
/// parser accepts it; after "--" the arguments are the compiler's.
inline bool asksForVersion(int Argc, const char *const *Argv) {
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef A(Argv[I]);
    if (A == "--")
      return false;
    if (A == "-version" || A == "--version")
      return true;
  }
  return false;
}

/// "pipe-tidy version 0.1.0 (pipe-clangd, LLVM 22)", then a newline.
inline void printVersionLine(llvm::raw_ostream &OS, llvm::StringRef Tool) {
  OS << "pipe-tidy version " PIPE_TIDY_VERSION " (" << Tool << ", LLVM "
     << PIPE_TIDY_LLVM_MAJOR << ")\n";
  OS.flush();
}

} // namespace pipe_tidy

#endif // PIPE_TIDY_TOOLS_COMMON_TOOLVERSION_H

//===--- Compat.h - the one place for LLVM version differences -----------===//
//
// pipe-tidy builds against every supported LLVM major (see CMakeLists.txt).
// Any API that differs between them is wrapped here, and nowhere else.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_COMPAT_H
#define PIPE_TIDY_COMPAT_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"

namespace clang::tidy::pipe::compat {

inline bool startsWith(llvm::StringRef S, llvm::StringRef Prefix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.starts_with(Prefix);
#else
  return S.startswith(Prefix);
#endif
}

inline bool endsWith(llvm::StringRef S, llvm::StringRef Suffix) {
#if LLVM_VERSION_MAJOR >= 16
  return S.ends_with(Suffix);
#else
  return S.endswith(Suffix);
#endif
}

/// The declaration a lambda capture names: CXXRecordDecl::getCaptureFields()
/// maps VarDecls up to LLVM 15, ValueDecls (structured bindings) from 16.
#if LLVM_VERSION_MAJOR >= 16
using CapturedDecl = ValueDecl;
#else
using CapturedDecl = VarDecl;
#endif

} // namespace clang::tidy::pipe::compat

#endif

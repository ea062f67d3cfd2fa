//===--- Compat.h - the one place for LLVM version differences -----------===//
//
// pipe-tidy builds against every supported LLVM major (see CMakeLists.txt).
// Any API that differs between them is wrapped here, and nowhere else.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_COMPAT_H
#define PIPE_TIDY_COMPAT_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"

// The module registry: its own header until LLVM 21; LLVM 22 moved it into
// ClangTidyModule.h and made the old header warn that it is deprecated.
#include "clang-tidy/ClangTidyModule.h"
#if LLVM_VERSION_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace clang::tidy::pipe::compat {

/// Where a call begins, for a diagnostic. From LLVM 22 on,
/// CallExpr::getBeginLoc() called through a `const CallExpr *` gives an
/// overloaded `operator()` call (`pump(a, b)` on a lambda) the begin of its
/// callee, the '('; Stmt::getBeginLoc() dispatches to the call's own class
/// and gives 'pump', as every earlier LLVM does.
inline SourceLocation callBegin(const Stmt *Call) {
  return Call->getBeginLoc();
}

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

/// The holding variables of a structured binding declaration that the CFG
/// does not list. For a tuple-like type (`auto [r, w] = a;` with a
/// std::array, std::pair or std::tuple) each binding is a hidden reference
/// variable initialised with get<I>(e), e being the DecompositionDecl.
/// From LLVM 15 on, the CFG lists each one's initialiser and a DeclStmt of
/// it right after the DecompositionDecl's DeclStmt; LLVM 14's CFG leaves
/// both out, so a walk of its CFG must do them itself, in that order.
inline llvm::SmallVector<const VarDecl *, 2>
holdingVarsMissingFromCFG(const DeclStmt *DS) {
  llvm::SmallVector<const VarDecl *, 2> Missing;
#if LLVM_VERSION_MAJOR < 15
  for (const Decl *D : DS->decls())
    if (const auto *DD = llvm::dyn_cast<DecompositionDecl>(D))
      for (const BindingDecl *BD : DD->bindings())
        if (const VarDecl *Holding = BD->getHoldingVar())
          Missing.push_back(Holding);
#else
  (void)DS;
#endif
  return Missing;
}

/// Whether the CFG has an element where a variable declared with
/// `__attribute__((cleanup(f)))` goes out of scope (CFGCleanupFunction,
/// LLVM 18 and later; built with AddImplicitDtors). Older CFGs leave the
/// call to f out, so the engine does not follow such a variable there.
constexpr bool CFGListsCleanupFunctions = LLVM_VERSION_MAJOR >= 18;

/// The variable whose cleanup function \p El calls, or null.
inline const VarDecl *cleanupFunctionVar(const CFGElement &El) {
#if LLVM_VERSION_MAJOR >= 18
  if (auto C = El.getAs<CFGCleanupFunction>())
    return C->getVarDecl();
#else
  (void)El;
#endif
  return nullptr;
}

/// A block of \p Stmts (statements of the program, shared with the block
/// they are in), allocated in \p Ctx: what a fork() child runs after the
/// parent's `if (pid != 0) return pid;` (engine/ForkChildBranches.cpp).
inline const CompoundStmt *makeCompound(const ASTContext &Ctx,
                                        llvm::ArrayRef<Stmt *> Stmts,
                                        SourceLocation LB, SourceLocation RB) {
#if LLVM_VERSION_MAJOR >= 15
  return CompoundStmt::Create(Ctx, Stmts, FPOptionsOverride(), LB, RB);
#else
  return CompoundStmt::Create(Ctx, Stmts, LB, RB);
#endif
}

} // namespace clang::tidy::pipe::compat

#endif

//===--- CallerContextDetail.h - what the caller-context files share -----===//
//
// Private to checker/summaries/CallerContext*.cpp, CallSiteOutcome.cpp,
// CallerValues.cpp and ProcessEnds.cpp: the few helpers more than one of
// them uses. Not part of the interface (CallerContext.h is).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLERCONTEXTDETAIL_H
#define PIPE_TIDY_CALLERCONTEXTDETAIL_H

#include "summaries/CallerContext.h"
#include <cstdint>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class Decl;
class DeclRefExpr;
class Expr;
class FunctionDecl;
class LangOptions;
class SourceManager;
class Stmt;
class VarDecl;
} // namespace clang

namespace clang::tidy::pipe::callerdetail {

/// The interval [Lo, Hi], known (CallerValues.cpp).
CallerContext::Interval known(int64_t Lo, int64_t Hi);

/// \p E without parentheses, full-expression wrappers and temporaries
/// (CallerValues.cpp).
const Expr *skipImplicit(const Expr *E);

/// 1: ends the process; 0: never returns but does not end the process
/// (another thread, a jump, an exception); -1: not known by name
/// (ProcessEnds.cpp).
int endsByName(const FunctionDecl *FD);

/// Calls through pointers (FunctionPointers.cpp): the keys of the pointer
/// types \p F may be called through (none: any pointer may call it), the
/// key of the type a call through a pointer calls, and the key of a
/// function-pointer value's type (empty: not one).
std::vector<std::string> pointerKeysOf(const FunctionDecl *F,
                                       const LangOptions &LO);
std::string pointerKeyOfCall(const CallExpr *CE);
std::string escapingTypeOf(const Expr *E);
/// The function name that \p E is, after only parentheses, decay and `&`.
const DeclRefExpr *keptRef(const Expr *E);
bool declInSystemHeader(const Decl *D, const SourceManager &SM);
/// Does \p S use \p V other than by reading its value: assign it, take its
/// address or a reference to it? (CallSiteOutcome.cpp)
bool changesVar(const Stmt *S, const VarDecl *V, const Stmt *Parent = nullptr);

} // namespace clang::tidy::pipe::callerdetail

#endif

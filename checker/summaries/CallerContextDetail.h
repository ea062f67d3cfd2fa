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

namespace clang {
class Expr;
class FunctionDecl;
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

} // namespace clang::tidy::pipe::callerdetail

#endif

//===--- CalleeSummaryDetail.h - helpers shared by the callee summaries ---===//
//
// Private to CalleeSummary.cpp, BorrowedUses.cpp and WriteAmounts.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SUMMARIES_CALLEESUMMARYDETAIL_H
#define PIPE_TIDY_SUMMARIES_CALLEESUMMARYDETAIL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <cstdint>

namespace clang::tidy::pipe::calleedetail {

/// Whether \p E, a flags argument, may have \p Bit set: a constant with
/// it, or an `|` one of whose operands may (`fl | O_NONBLOCK`). Read from
/// the text alone, for what a helper may do to its parameter.
bool mayHaveFlagBit(const Expr *E, int64_t Bit, const ASTContext &Ctx);

/// The parameter of \p Callee that argument \p Arg of \p CE binds, or -1
/// (a lambda's or member operator's call passes the object first).
int paramOfArg(const CallExpr *CE, const FunctionDecl *Callee, unsigned Arg);

} // namespace clang::tidy::pipe::calleedetail

#endif

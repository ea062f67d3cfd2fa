//===--- CalleeSummaryDetail.h - helpers shared by the callee summaries ---===//
//
// Private to CalleeSummary.cpp, BorrowedUses.cpp, WriteAmounts.cpp and
// VoidPointerDescriptors.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SUMMARIES_CALLEESUMMARYDETAIL_H
#define PIPE_TIDY_SUMMARIES_CALLEESUMMARYDETAIL_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <cstdint>

namespace clang {
class ParentMap;
}
namespace clang::tidy::pipe {
class ApiModel;
}

namespace clang::tidy::pipe::calleedetail {

/// Whether \p E, a flags argument, may have \p Bit set: a constant with
/// it, or an `|` one of whose operands may (`fl | O_NONBLOCK`). Read from
/// the text alone, for what a helper may do to its parameter.
bool mayHaveFlagBit(const Expr *E, int64_t Bit, const ASTContext &Ctx);

/// The parameter of \p Callee that argument \p Arg of \p CE binds, or -1
/// (a lambda's or member operator's call passes the object first).
int paramOfArg(const CallExpr *CE, const FunctionDecl *Callee, unsigned Arg);

/// The descriptor a `void *` parameter \p P of \p Body's function stands
/// for, when a thread's start routine is given one by value: \p P itself
/// when every use converts it to an integer (`read((int)(intptr_t)arg,
/// ...)`), or the local integer that its one use initialises (`int fd =
/// (int)(intptr_t)arg;`) and that is never changed; else null
/// (VoidPointerDescriptors.cpp).
const VarDecl *descriptorOfVoidParam(const Stmt *Body, const ParmVarDecl *P,
                                     const ParentMap &PM);

/// On the \p Taken edge of the branch on \p Cond, is \p P (a variable or a
/// member of `this`) negative (`fd_ < 0`, `n == -1` taken, `n >= 0` left
/// false, `n < 0 && errno == EINTR` taken)? (ReadResults.cpp)
bool isNegativeOnEdge(const Expr *Cond, bool Taken, const ValueDecl *P,
                      const ASTContext &Ctx);

/// When \p X is a read of the model of descriptor \p P, not of a stream,
/// whose result is stored (`n = read(P, ...)`, `ssize_t n = read(P,
/// ...)`): the variable it is stored in (ReadResults.cpp).
const VarDecl *readResultVariable(const Stmt *X, const ValueDecl *P,
                                  const ParentMap &PM, const ApiModel &Model);

} // namespace clang::tidy::pipe::calleedetail

#endif

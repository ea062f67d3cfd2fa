//===--- CallQueries.h - syntactic questions about one call ---------------===//
//
// Small questions the checks ask of the code around a modelled call, that the
// flow engine does not answer: is this read the condition of a loop that runs
// to end-of-file, which loop encloses it. Each walks the parents of one call
// a bounded number of steps, in the parent map of the function's own body
// (FunctionAnalysis::parentOf()), never the translation unit's.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CALLQUERIES_H
#define PIPE_TIDY_CALLQUERIES_H

#include "engine/FunctionAnalysis.h"
#include "clang/AST/Expr.h"
#include <optional>
#include <string>

namespace clang::tidy::pipe {

class FunctionAnalysis;
class ApiModel;

/// A read in a loop that runs until the read reports end-of-file: the read
/// in the loop's condition (`while ((n = read(...)) > 0)`, `while
/// (fgets(...))`), or a loop body that leaves when the read's result says
/// so.
bool readsUntilEof(const CallExpr *Read, const FunctionAnalysis &A);

/// readsUntilEof(), and the loop has no other way out (no `break`,
/// `return` or `goto` in a loop whose condition is the read): everything
/// the writer sent is read.
bool readsWholeStream(const CallExpr *Read, const FunctionAnalysis &A);

/// The name of the function \p CE calls (through ApiModel::calleeOf()),
/// or "" when it has none.
std::string calleeName(const CallExpr *CE);

/// A recv()-like call that asks not to wait (MSG_DONTWAIT).
bool readDoesNotWait(const CallExpr *Read, const ApiModel &Model,
                     ASTContext &Ctx);

/// A call that writes data: a modelled write, or a helper named like one
/// (its name contains "write" or "send").
bool isWriteCall(const CallExpr *CE, const ApiModel &Model);

/// Whether \p S (outside lambdas in it) makes such a call: an `if` whose
/// condition writes (`if (write_all(fd, ...) < 0)`).
bool containsWriteCall(const Stmt *S, const ApiModel &Model);

/// Argument \p I of \p CE, or null.
const Expr *callArg(const CallExpr *CE, int I);

/// The innermost loop statement around \p S in its function, or null.
const Stmt *enclosingLoop(const Stmt *S, const FunctionAnalysis &A);

/// The caller's end that slot \p Sl of the summary of the helper \p CE
/// calls names, on a path with state \p S: the argument itself, or what
/// the struct an argument points to (or refers to), or the object of a
/// member call, holds there.
std::optional<EndId> summarySlotEnd(const FunctionAnalysis &A,
                                    const CallExpr *CE, const SummarySlot &Sl,
                                    const PathState &S);

/// A task of this process running on a path with state \p S that was
/// given end \p E (TaskInfo::Holds), the first by number; with
/// \p ThreadsOnly, a thread or std::async task, not a child process.
std::optional<TaskId> runningTaskHolding(const FunctionAnalysis &A, EndId E,
                                         const PathState &S,
                                         bool ThreadsOnly = false);

} // namespace clang::tidy::pipe

#endif

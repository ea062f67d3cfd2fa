//===--- StartPipes.h - what a start helper starts and makes for its task -===//
//
// StartSummaries.cpp: the task a helper starts for its caller (startOf()).
// StartPipes.cpp: the pipes a helper that starts a child or a thread makes
// for it, and what its caller finds after the call (outcomes).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_STARTPIPES_H
#define PIPE_TIDY_STARTPIPES_H

#include "engine/FunctionAnalysis.h"
#include "summaries/FunctionSummaries.h"

namespace clang::tidy::pipe {

/// The caller's place a seeded place of the callee stands for
/// (FunctionSummaries.cpp).
SummarySlot slotOf(const FunctionAnalysis::SeededPlace &Seed);

/// The start summary of the summary-mode analysis \p A: exactly one task
/// of its own, left running with its handle in a caller's place (or
/// returned) on every exit that starts it, the other exits starting nothing
/// and told apart by the result (\p NonVoid: it has one); none otherwise
/// (StartSummaries.cpp).
std::optional<StartSummary>
startOf(const FunctionAnalysis &A,
        llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds, bool NonVoid);

/// Fills St.Pipes, St.Outcomes and St.Handle from the summary-mode
/// analysis \p A of a helper whose own task is \p Own; false (St left as
/// it was) when the helper makes no pipe for the task, or does something
/// with it or with the caller's places that outcomes cannot say.
/// \p ReturnsPid: the task is a child whose pid, kept only in a local
/// variable, some `return` gives back (`pid_t open_filter(int *w, int *r)`):
/// the handle is then the call's value.
bool startPipesOf(const FunctionAnalysis &A,
                  llvm::ArrayRef<FunctionAnalysis::SeededPlace> Seeds,
                  TaskId Own, bool ReturnsPid, StartSummary &St);

/// Is exit \p X of the summarised function an exception that is no outcome
/// of the call, so that the caller's own exception paths take it (a
/// constructor that throws when `pipe()` or `fork()` fails)? It is when it
/// leaves task \p Own not started and no end it made open, except in the
/// caller's own places (`if (pid_ < 0) throw ...;` in a method that made a
/// pipe in its members): the caller's object keeps those, and closes them
/// as it would on any path.
bool throwIsNoOutcome(const FunctionAnalysis &A, const ExitPoint &X,
                      const PathState &S, std::optional<TaskId> Own);

/// Fills Sum.PartlyCloses from the summary-mode analysis \p A of \p Def:
/// the caller's descriptors \p Def closes at its end but leaves open, in
/// place, at an earlier exit (RoutineSummaries.cpp).
void readPartCloses(const FunctionAnalysis &A, const FunctionDecl *Def,
                    FunctionSummary &Sum);

/// Fills Sum.DrainsAfterJoins from the summary-mode analysis \p A
/// (JoinOrder.cpp).
void readDrainsAfterJoins(const FunctionAnalysis &A, FunctionSummary &Sum);
/// Fills Sum.ClosesAfterJoins from the summary-mode analysis \p A, once
/// Sum.Closes is known (JoinOrder.cpp).
void readClosesAfterJoins(const FunctionAnalysis &A, FunctionSummary &Sum,
                          FunctionSummaries &Functions);
/// Fills Sum.WritesBeforeReads from the summary-mode analysis \p A: what
/// it wrote to each of its caller's places at its reads of another
/// (JoinOrder.cpp).
void readWritesBeforeReads(const FunctionAnalysis &A, FunctionSummary &Sum,
                           FunctionSummaries &Functions);

} // namespace clang::tidy::pipe

#endif

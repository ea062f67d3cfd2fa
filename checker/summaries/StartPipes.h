//===--- StartPipes.h - the pipes a start helper makes for its task -------===//
//
// See StartPipes.cpp: the pipes a helper that starts a child or a thread
// makes for it, and what its caller finds after the call (outcomes).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_STARTPIPES_H
#define PIPE_TIDY_STARTPIPES_H

#include "engine/FunctionAnalysis.h"
#include "summaries/FunctionSummaries.h"

namespace clang::tidy::pipe {

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

/// Is exit \p X of the summarised function an exception that leaves
/// nothing it made or started behind (no end of its own open, task \p Own
/// not started)? Such an exit is no outcome of the call: the caller's own
/// exception paths take it (a constructor that throws when `pipe()` or
/// `fork()` fails).
bool throwLeavesNothing(const FunctionAnalysis &A, const ExitPoint &X,
                        const PathState &S, std::optional<TaskId> Own);

} // namespace clang::tidy::pipe

#endif

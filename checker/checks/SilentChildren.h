//===--- SilentChildren.h - fork() children that write nothing to a pipe --===//
//
// pipe-self-deadlock reports a single blocking read of a pipe whose write
// end this thread holds and has not written when every other holder is a
// fork() child of this function that can write nothing to it: the read
// then waits for data nobody sends, and this thread's own copy of the write
// end keeps end-of-file away. A child counts as silent only when all of its
// code is seen and none of it can reach the pipe: see SilentChildren.cpp.
// It also reports such a read when the one other holder is a child that
// runs a program and, when the exec fails, exits without writing: then
// too the read waits for ever (execFailureHolder()).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SILENTCHILDREN_H
#define PIPE_TIDY_SILENTCHILDREN_H

#include "engine/FunctionAnalysis.h"
#include "models/ApiModel.h"

namespace clang::tidy::pipe {

/// The other holders of the pipe whose write-side ends this process holds
/// as \p Writers, on the path \p S reaches a read: the fork() children
/// that share them, when each is a silent child (std::nullopt when some
/// other process or thread may hold one, or a child may write).
std::optional<llvm::SmallVector<TaskId, 1>>
silentChildHolders(const FunctionAnalysis &A, const PathState &S,
                   llvm::ArrayRef<EndId> Writers, const ApiModel &Model);

/// The one other holder of the pipe whose write-side ends this process
/// holds as \p Writers, on the path \p S reaches a read, when it is a
/// fork() child of this function that runs a program and, if the exec
/// fails, ends (at \p Exit) without writing to any pipe: the read then
/// waits for data that never comes, and end-of-file never comes either.
struct ExecFailureHolder {
  TaskId Child;
  const CallExpr *Exit;
};
std::optional<ExecFailureHolder>
execFailureHolder(const FunctionAnalysis &A, const PathState &S,
                  llvm::ArrayRef<EndId> Writers, const ApiModel &Model);

} // namespace clang::tidy::pipe

#endif

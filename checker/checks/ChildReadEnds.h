//===--- ChildReadEnds.h - writer children that keep the read end ---------===//
//
// A fork()ed child inherits both ends of every pipe open at the fork. A
// child that writes the pipe while its own copy of the read end is still
// open keeps the pipe's reading side alive itself: when the parent closes
// its copy, the child's write() does not fail with EPIPE, it waits for a
// reader that is the child itself. Closing the read end in the parent then
// does not end the writer (pipe-leaked-writer).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_CHILDREADENDS_H
#define PIPE_TIDY_CHECKS_CHILDREADENDS_H

#include "engine/FunctionAnalysis.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::pipe {

/// For each fork() child task of a function: the read end it holds itself
/// while it writes the pipe, on every path of the child's code that writes
/// it, and the first such write (for the note). A child that closes its
/// copy before some write, or whose copy the analysis lost, is not listed.
struct ChildKeptReads {
  struct Kept {
    EndId Read;
    const CallExpr *WriteAt;
  };
  llvm::DenseMap<TaskId, Kept> ByTask;
  explicit ChildKeptReads(const FunctionAnalysis &A);
  const Kept *find(TaskId T) const {
    auto It = ByTask.find(T);
    return It == ByTask.end() ? nullptr : &It->second;
  }
};

} // namespace clang::tidy::pipe

#endif

//===--- TaskHeldEnds.h - a write end only a task of this process uses ----===//
//
// `std::thread t(produce, wr, 10)` where produce() writes `wr` and returns
// without closing it, while this function reads the other end until
// end-of-file: the descriptor stays open because the thread was given it
// (the engine's UsedByTask, engine/RoutineEnds.cpp) and nobody closes it.
// The defect is a write end never closed: pipe-unclosed-write-end reports
// it, at the read where the program blocks (its exits after that read are
// never reached), and pipe-self-deadlock, which would blame this thread's
// hold on the end, stands down. Both ask taskHeldWriter(), so that they
// agree on every read.
//
// So with a fork() child that reads a pipe to end-of-file while it keeps
// the copy of the write end it inherited at the fork (`if (pid == 0) {
// close(out[0]); _exit(filter(in[0], out[1])); }` with `in[1]` still
// open): the defect is the child's unclosed write end, and both checks ask
// inheritedByChild().
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_TASKHELDENDS_H
#define PIPE_TIDY_TASKHELDENDS_H

#include "checks/WriteSideAtRead.h"
#include "engine/FunctionAnalysis.h"
#include <optional>

namespace clang::tidy::pipe {

/// A read that waits for end-of-file whose pipe's write side is open on
/// this path only because a task of this process was given it and uses it.
struct TaskHeldRead {
  EndId Read;   ///< the end read
  EndId Writer; ///< the open write end (the pipe's, or a dup() of it)
  /// The task that was given it and is running at the read, if one is
  /// known (its handle may have left the function).
  std::optional<TaskId> Task;
};

/// For the write side \p F of a read to end-of-file (writeSideAtRead(),
/// F.ToEof) with state \p S before it: every write-side end of the pipe is
/// plainly open or closed in this process, none shared with a child, and
/// every open one is UsedByTask.
std::optional<TaskHeldRead> taskHeldWriter(const WriteSideAtRead &F,
                                           const PathState &S,
                                           const FunctionAnalysis &A);

/// For the write side \p F of a read to end-of-file with state \p S
/// before it, on a fork() child's path: the first open write end the child
/// inherited at the fork (open then, and its copy here never closed).
std::optional<EndId> inheritedByChild(const WriteSideAtRead &F,
                                      const PathState &S);

} // namespace clang::tidy::pipe

#endif

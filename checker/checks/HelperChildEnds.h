//===--- HelperChildEnds.h - a child's write end a start helper keeps ----===//
//
// A helper that makes a pipe, forks a child whose standard output is its
// write end, and hands its caller the parent's copy of that write end
// along with the read end (`ls->out_wr = p[1]; ls->pid = fork(); ...
// return 0;`), to a caller that does not close it either: no reader of the
// pipe ever sees end-of-file. The fix belongs in the helper.
// pipe-unclosed-write-end reports it there (HelperChildEnds.cpp); a read
// to end-of-file of that pipe in the caller is the same defect, and
// pipe-self-deadlock leaves it to that report (one warning per defect).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_CHECKS_HELPERCHILDENDS_H
#define PIPE_TIDY_CHECKS_HELPERCHILDENDS_H

#include "engine/FunctionAnalysis.h"
#include "models/ApiModel.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <vector>

namespace clang::tidy::pipe {

class FunctionSummaries;

/// One start helper call of the analysed function whose child's output
/// write end the helper leaves open to it, and the caller leaves open too.
struct HelperChildEnd {
  const CallExpr *Call = nullptr;
  /// The caller's ends (made at Call) still open at one of its exits.
  llvm::SmallVector<EndId, 2> Left;
  /// The caller's first such exit, and its state.
  const ExitPoint *CallerExit = nullptr;
  const PathState *CallerState = nullptr;
  /// The helper that makes the pipe (down the chain of start helpers), its
  /// first exit that leaves the end open with the child running, and the
  /// end there.
  std::unique_ptr<FunctionAnalysis> Helper;
  const ExitPoint *Exit = nullptr;
  const PathState *AtExit = nullptr;
  EndId HelperEnd = 0;
};

/// The helper calls of \p A whose child's output write end is left open,
/// reported in the helper (a helper written in the main file).
/// \p EndsProcess tells an exit after which every caller ends the process
/// (such an exit leaks nothing that matters).
std::vector<HelperChildEnd> findHelperChildEnds(
    const FunctionAnalysis &A, FunctionSummaries &Functions,
    const ApiModel &Model, unsigned Budget,
    llvm::function_ref<bool(const ExitPoint &, const PathState &)>
        EndsProcess);

} // namespace clang::tidy::pipe

#endif

//===--- WaitBeforeDrainCheck.h - pipe-wait-before-drain ------------------===//
//
// Finds a parent that blocks on a child process before it has read the
// child's output pipe to the end: waiting for the child (waitpid, wait,
// wait4) before reading its output; writing all of the child's input before
// reading its output; reading one of its output pipes to end-of-file before
// the other. In each, the child blocks on a full pipe that nobody reads, and
// the parent waits for the child.
//
// For the user-facing documentation, see docs/checks/pipe-wait-before-drain.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_WAITBEFOREDRAINCHECK_H
#define PIPE_TIDY_WAITBEFOREDRAINCHECK_H

#include "checks/PipeCheckBase.h"
#include "llvm/ADT/DenseMap.h"
#include <functional>
#include <set>
#include <vector>

namespace clang::tidy::pipe {

class WaitBeforeDrainCheck : public PipeCheckBase {
public:
  WaitBeforeDrainCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  void analyzeFunction(const FunctionAnalysis &A) override;

private:
  /// A read by the parent: where, of which end, and whether it is known to
  /// read to end-of-file (a helper or asio::read; a loop is asked later).
  struct ParentRead {
    const CallExpr *Call;
    EndId End;
    bool ToEof;
    const PathState *State;
  };
  /// Is \p R open, unread and blocking on a path with state \p S, in a
  /// place the analysis sees every use of?
  static bool isUnreadOpen(EndId R, const PathState &S);
  /// The first read of \p R after \p Loc in the source, if any.
  const ParentRead *readAfter(EndId R, SourceLocation Loc,
                              const SourceManager &SM) const;
  /// Does task \p T (a child, a thread, a std::async task) write to \p W
  /// more than the pipe holds, or an amount nobody can bound (a child's
  /// standard output, exec'd)?
  bool childFills(const TaskInfo &T, EndId W) const;

  /// A finding, kept until the function's findings are all known: where
  /// the parent blocks, the writer it leaves blocked (the child and the
  /// write end it fills), the warning with its notes, and the note that
  /// names this point when an earlier finding of the same blocked writer
  /// is the warning (one defect, one fix: one warning).
  struct Finding {
    SourceLocation Loc;
    TaskId Task;
    EndId Writer;
    std::function<void()> Warn;
    std::function<void()> AlsoNote;
  };
  /// Hands \c Findings to checks/BlockedWriters.h, which reports per
  /// blocked writer the first blocking point in the source as the warning
  /// and each other as a note, at the end of the translation unit.
  void reportFindings(const FunctionAnalysis &A);

  void checkWaits(const FunctionAnalysis &A);
  /// A join of task \p T, which fills the pipe of write end \p W, at a
  /// call of a helper that reads the read end \p R to end-of-file only
  /// after that join, on some path (FunctionSummary::DrainsAfterJoins):
  /// a finding reported in the helper (HelperJoinOrder.cpp).
  bool checkHelperJoinOrder(const FunctionAnalysis &A, const TaskEvent &Ev,
                            const PathState &S, EndId W, EndId R);
  void checkInputBeforeOutput(const FunctionAnalysis &A);
  void checkOneOutputFirst(const FunctionAnalysis &A);
  /// A blocking write of more than the pipe holds to child \p Id's input
  /// \p In after poll(), while the loop reads its output \p Out.
  void reportPolledWrite(const FunctionAnalysis &A, const CallSite &C,
                         const PathState &S, TaskId Id, EndId W, EndId In,
                         EndId Out, uint64_t Bytes);
  void noteChild(const FunctionAnalysis &A, const TaskInfo &T, EndId W);

  unsigned PipeCapacity;
  std::vector<ParentRead> Reads;
  /// Reads by end, in source order.
  llvm::DenseMap<EndId, std::vector<const ParentRead *>> ReadsOf;
  std::set<const Stmt *> Reported;
  std::vector<Finding> Findings;
};

} // namespace clang::tidy::pipe

#endif

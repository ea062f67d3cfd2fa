//===--- SelfDeadlockCheck.h - pipe-self-deadlock -------------------------===//
//
// Finds a thread that blocks on a pipe only it could unblock: a read whose
// only writer is this thread and nothing was written yet; a read until
// end-of-file while this process still holds the write end; a write of more
// than the pipe holds before this same thread reads it back; a join or wait
// on a thread or child that reads the pipe until end-of-file while this
// thread holds the write end.
//
// For the user-facing documentation, see docs/checks/pipe-self-deadlock.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SELFDEADLOCKCHECK_H
#define PIPE_TIDY_SELFDEADLOCKCHECK_H

#include "checks/PipeCheckBase.h"

#include <set>

namespace clang::tidy::pipe {
struct WriteSideAtRead;
}

namespace clang::tidy::pipe {

class SelfDeadlockCheck : public PipeCheckBase {
public:
  SelfDeadlockCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override {
    PipeCheckBase::onStartOfTranslationUnit();
    ReportedInHelpers.clear();
    ReportedHelperJoins.clear();
    ReportedHelperWrites.clear();
  }

protected:
  void analyzeFunction(const FunctionAnalysis &Analysis) override;

private:
  /// A join or wait on a task that reads a pipe until end-of-file while
  /// this thread holds the write end.
  void checkJoinOfReader(const FunctionAnalysis &A);
  /// The join of \p Ev is a helper's (`finish()` calling `stop_worker()`
  /// and then `close_input()`) that closes the write end \p W of the pipe
  /// whose read end \p R the task reads to end-of-file, but only after the
  /// join (FunctionSummary::ClosesAfterJoins): reported once, in the
  /// helper, where the order is to be fixed (HelperJoinOrder.cpp).
  bool reportHelperCloseOrder(const FunctionAnalysis &A, const TaskEvent &Ev,
                              const PathState &S, EndId R, EndId W);
  /// "'wr' owns the write end from here and closes it only when it is
  /// destroyed", where a wrapper object holds the write end (if any);
  /// "holds the write end in a member" when \p Built is false (the end
  /// was stored into it later: `wr.reset(fds[1])`).
  void addOwnerNote(const VarDecl *Owner, bool Built);
  /// Call \p C of a helper given both ends of one pipe wrote it past its
  /// capacity and then read it back (FunctionSummary::WritesBeforeReads):
  /// reported at the helper's write (once per file), with notes at its
  /// read and at the call.
  void reportHelperWriteBeforeRead(const FunctionAnalysis &A,
                                   const CallSite &C, const PathState &S,
                                   const WriteSideAtRead &F);
  /// A copy helper given both ends of one pipe, whose loop reads the read
  /// end to end-of-file (HelperCopies.h): reported where the pair is
  /// chosen, once per translation unit.
  void checkHelperCopyLoops(const FunctionAnalysis &A,
                            std::set<std::pair<const Expr *, int>> &Reported);
  std::set<const Stmt *> ReportedInHelpers;
  std::set<unsigned> ReportedHelperJoins; ///< raw join locations
  std::set<unsigned> ReportedHelperWrites; ///< raw write locations
  /// Bytes a pipe holds before a write blocks (Linux: 65536).
  unsigned PipeCapacity;
};

} // namespace clang::tidy::pipe

#endif

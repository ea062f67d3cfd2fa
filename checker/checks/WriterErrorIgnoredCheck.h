//===--- WriterErrorIgnoredCheck.h - pipe-writer-error-ignored ------------===//
//
// Finds a reader that reads a writer's pipe to end-of-file and never learns
// whether the writer finished or failed part-way: a child's exit status
// discarded (waitpid(pid, NULL, 0), a status never read), a std::async
// future destroyed without get(), and a writer thread whose error path only
// closes its end and returns, exactly like its success path.
//
// For the user-facing documentation, see docs/checks/pipe-writer-error-ignored.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_WRITERERRORIGNOREDCHECK_H
#define PIPE_TIDY_WRITERERRORIGNOREDCHECK_H

#include "checks/PipeCheckBase.h"
#include "llvm/ADT/DenseMap.h"
#include <set>
#include <vector>

namespace clang::tidy::pipe {

class WriterErrorIgnoredCheck : public PipeCheckBase {
public:
  WriterErrorIgnoredCheck(llvm::StringRef Name, ClangTidyContext *Context)
      : PipeCheckBase(Name, Context) {}

protected:
  void analyzeFunction(const FunctionAnalysis &A) override;

private:
  /// A read of a pipe that may run to end-of-file, with the state before
  /// it; ToEof when that is known already (a helper that drains).
  struct EofRead {
    const CallExpr *Call;
    EndId End;
    const PathState *State;
    bool ToEof;
  };
  /// The read to end-of-file of a pipe task \p Id writes to, before \p Loc
  /// in the source and while the task runs; null if none.
  const EofRead *drainedBefore(const FunctionAnalysis &A, TaskId Id,
                               SourceLocation Loc) const;
  /// The read to end-of-file, by the helper whose call is the join \p Ev,
  /// of a pipe the task writes, done before that helper's wait; or null.
  const EofRead *drainedByWait(const FunctionAnalysis &A, const TaskEvent &Ev,
                               const PathState &S) const;
  void checkDiscardedStatus(const FunctionAnalysis &A, const TaskEvent &Ev,
                            const PathState &S);
  void checkFutureOnlyWaited(const FunctionAnalysis &A, const TaskEvent &Ev,
                             const PathState &S);
  void checkFutureNeverGot(const FunctionAnalysis &A, const TaskEvent &Ev,
                           const PathState &S);
  void checkSilentErrorPath(const FunctionAnalysis &A, const TaskEvent &Ev,
                            const PathState &S);
  /// pthread_join(t, NULL) on a writer whose start routine returns a status.
  void checkDiscardedThreadResult(const FunctionAnalysis &A,
                                  const TaskEvent &Ev, const PathState &S);
  /// A failure flag or std::exception_ptr the writer sets on its error
  /// path, never read after the join (WriterFailureFlags.cpp); true when
  /// reported.
  bool checkUnreadFailureFlag(const FunctionAnalysis &A, const TaskEvent &Ev,
                              const PathState &S);
  void noteReader(const FunctionAnalysis &A, const EofRead &Rd);
  /// The local a pthread_join() stores the thread's result in when the
  /// function never reads it (unreadJoinResult()), once per join call.
  const VarDecl *unreadResultOf(const CallExpr *Join,
                                const FunctionAnalysis &A);

  llvm::DenseMap<const CallExpr *, const VarDecl *> UnreadResults;

  std::vector<EofRead> Reads;
  std::set<const Stmt *> Reported;
  /// Error paths in helpers already reported (for the whole file: one
  /// warning however many readers start a writer that calls the helper).
  std::set<const Stmt *> ReportedInHelpers;
};

} // namespace clang::tidy::pipe

#endif

//===--- LeakedWriterCheck.h - pipe-leaked-writer -------------------------===//
//
// Finds a writer task left blocked or leaked when the reader of its pipe
// gives up early: a joinable std::thread destroyed (std::terminate); a
// std::jthread or std::async future destroyed, or any task joined or waited
// for, while the pipe's read end is still open and unread (a hang); a
// detached, never-joined or never-waited-for writer left with the read end
// open (blocked forever).
//
// For the user-facing documentation, see docs/checks/pipe-leaked-writer.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_LEAKEDWRITERCHECK_H
#define PIPE_TIDY_LEAKEDWRITERCHECK_H

#include "checks/ChildReadEnds.h"
#include "checks/PipeCheckBase.h"
#include <functional>
#include <optional>
#include <set>
#include <vector>

namespace clang::tidy::pipe {

class LeakedWriterCheck : public PipeCheckBase {
public:
  LeakedWriterCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

  void onStartOfTranslationUnit() override {
    PipeCheckBase::onStartOfTranslationUnit();
    ReportedHelperJoins.clear();
  }

protected:
  void analyzeFunction(const FunctionAnalysis &Analysis) override;

private:
  enum class Outcome {
    Terminate,
    HangOnDestroy,
    JoinBeforeClose,
    Leak,
    /// The read end is closed here, but a fork()ed child writes with its
    /// own copy still open (ChildReadEnds.h): a wait hangs, no wait leaks.
    JoinChildKeepsRead,
    LeakChildKeepsRead,
    /// An object whose destructor waits for or joins the task its member
    /// holds before it closes the read end (DestroyedBy).
    JoinInDestructor,
  };
  /// The read end of a pipe \p T holds that is still open and unread on a
  /// path with state \p S, if \p T may block writing to it. \p OwnedCounts:
  /// an end a live local object owns counts as open (at a destructor).
  /// \p OutputsFill: a child's standard output or error (it runs another
  /// program, which may write any amount) may block it (at a wait).
  std::optional<EndId> blockedReadEnd(const FunctionAnalysis &A,
                                      const TaskInfo &T, const PathState &S,
                                      bool OwnedCounts,
                                      bool OutputsFill = false) const;
  /// The read end a fork()ed child \p Id writes with its own copy open,
  /// when this process has closed its copy on a path with state \p S and
  /// has not read it to end-of-file: closing did not end the writer.
  const ChildKeptReads::Kept *keptByChild(const FunctionAnalysis &A,
                                          const ChildKeptReads &Kept,
                                          TaskId Id, const PathState &S) const;
  /// The note at the writer's start \p Start: what it writes, against the
  /// pipe's capacity (\p OutputsFill: it makes the write end its standard
  /// output or error, where it may write any amount).
  void addWriterStartNote(SourceLocation Start, const std::string &Task,
                          uint64_t MaxBytes, bool OutputsFill);
  /// A stop-aware writer that sees a stop request (StopTokens.h).
  bool heedsStop(const TaskInfo &T, const PathState &S) const;
  void report(const FunctionAnalysis &A, Outcome O, TaskId T,
              std::optional<EndId> ReadEnd, SourceLocation Loc,
              const PathState &S, SourceLocation ScopeEnd = SourceLocation(),
              const CallExpr *ChildWrite = nullptr);

  /// A join inside a helper the function calls, which closes the read end
  /// \p R only after it (`finish(*gen)` doing `p.worker.join();
  /// close(p.rfd);`): the order to fix is the helper's, so the warning is
  /// at its join, once per join (HelperJoinOrder.cpp). False when the
  /// event is no such call.
  bool reportHelperCloseOrder(const FunctionAnalysis &A, const TaskEvent &Ev,
                              const PathState &S, EndId R);
  std::set<unsigned> ReportedHelperJoins; ///< raw join locations

  /// Bytes a pipe holds before a write blocks (Linux: 65536).
  unsigned PipeCapacity;
  std::set<std::pair<unsigned, const Stmt *>> Reported;
  /// One defect, many exits: the same task left blocked on the same read
  /// end at several returns (or destroyed there) is one warning, at the
  /// first in the source, with a note at each other (flushGroups()).
  struct ExitGroup {
    TaskId Task;
    Outcome O;
    int Read;
    std::string TaskName;
    std::vector<SourceLocation> Locs;
    std::vector<std::function<void(bool)>> Emits;
  };
  std::vector<ExitGroup> Groups;
  void flushGroups(const SourceManager &SM);
  /// A destruction by the unwinding of an exception from a call: how the
  /// message names that call's callee ("'parse'"), else empty.
  std::string UnwoundBy;
  /// JoinInDestructor: the object destroyed.
  const VarDecl *DestroyedBy = nullptr;
};

} // namespace clang::tidy::pipe

#endif

//===--- SelfCopyCheck.h - pipe-self-copy ---------------------------------===//
//
// Finds a pipe copied into itself: splice(), tee(), sendfile() or
// copy_file_range() whose source is a pipe's read end and whose destination
// is the same pipe's write end (or a dup() of it), and a read/write copy
// loop that writes what it reads from a pipe back into that pipe; and a call
// of a copy helper (a function, lambda or member function that does either)
// given the two ends of one pipe.
//
// For the user-facing documentation, see docs/checks/pipe-self-copy.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_SELFCOPYCHECK_H
#define PIPE_TIDY_SELFCOPYCHECK_H

#include "checks/PipeCheckBase.h"

#include <set>

namespace clang::tidy::pipe {

class SelfCopyCheck : public PipeCheckBase {
public:
  SelfCopyCheck(llvm::StringRef Name, ClangTidyContext *Context)
      : PipeCheckBase(Name, Context) {}

  void onStartOfTranslationUnit() override {
    PipeCheckBase::onStartOfTranslationUnit();
    ReportedInHelpers.clear();
  }

protected:
  void analyzeFunction(const FunctionAnalysis &A) override;

private:
  void checkKernelCopies(const FunctionAnalysis &A);
  void checkCopyLoops(const FunctionAnalysis &A);
  /// A call of a copy helper (summaries/CopySummary.h) given two ends of
  /// the same pipe.
  void checkHelperCopies(const FunctionAnalysis &A);
  /// A thread started with both ends of one pipe, whose routine copies
  /// one into the other (FunctionAnalysis::taskCopies()).
  void checkTaskCopies(const FunctionAnalysis &A);
  /// Copies reported where a helper chooses the pair (HelperCopies.h): once
  /// per translation unit, whichever caller found them.
  std::set<const Stmt *> ReportedInHelpers;
};

} // namespace clang::tidy::pipe

#endif

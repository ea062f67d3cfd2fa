//===--- UnclosedWriteEndCheck.h - pipe-unclosed-write-end ----------------===//
//
// Finds write ends that are still open when a function returns on some path
// (so the pipe's reader never sees end-of-file), writer functions and lambdas
// that close their descriptor on the success path only, and write ends
// without O_CLOEXEC inherited by an unrelated child process.
//
// For the user-facing documentation, see docs/checks/pipe-unclosed-write-end.md
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_UNCLOSEDWRITEENDCHECK_H
#define PIPE_TIDY_UNCLOSEDWRITEENDCHECK_H

#include "checks/PipeCheckBase.h"
#include "models/TestPrograms.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Regex.h"
#include <map>

namespace clang::tidy::pipe {

struct LeakReport;

class UnclosedWriteEndCheck : public PipeCheckBase {
public:
  UnclosedWriteEndCheck(llvm::StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override {
    PipeCheckBase::onStartOfTranslationUnit();
    HelperExitsReported.clear();
    HelperCallAnswers.clear();
    FailureExitsReported.clear();
    RoutineExitsReported.clear();
    TestProgramKnown = false;
    TestFunctions.clear();
  }

protected:
  void analyzeFunction(const FunctionAnalysis &Analysis) override;

private:
  void reportExitLeaks(const FunctionAnalysis &A);
  // RemadeLeaks.cpp: a pipe made again while the last one is open, and the
  // branch of the turn that left it open, per pipe (resourceOf()): an exit
  // that the same turn leads to leaks the same ends (one warning).
  void reportRemadeLeaks(const FunctionAnalysis &A);
  bool leftByRemadeTurn(const void *Resource, const PathState &S) const;
  struct RemadeInfo {
    std::vector<BranchStep> Turns;             ///< branches noted
    llvm::SmallPtrSet<const Stmt *, 2> Loops; ///< loops around the call
  };
  std::map<const void *, RemadeInfo> RemadeCauses;
  void reportClassLeaks(const FunctionAnalysis &A);
  void reportOwnedParameters(const FunctionAnalysis &A);
  void reportSpawnInheritance(const FunctionAnalysis &A);
  void addPathNotes(const FunctionAnalysis &A, EndId E, const PathState &S);
  void addThrowNote(const FunctionAnalysis &A, const ExitPoint &X);
  /// The leaks of one function at its exits, one warning for all of them
  /// (LeakGrouping.cpp).
  void reportLeaksTogether(const FunctionAnalysis &A,
                           std::vector<LeakReport> &Reports);
  void addCloseFix(const FunctionAnalysis &A, DiagnosticBuilder &D, int Where,
                   const Stmt *At, const std::string &Closes);
  static std::string throwingCalleeName(const ExitPoint &X);

  // Write ends other processes inherit (InheritedEnds.cpp).
  bool reportHelperInheritance(const FunctionAnalysis &A, const CallSite &Start,
                               const PathState &S, EndId E, bool Reader);
  void reportSpawnKeepsOriginal(const FunctionAnalysis &A);
  void reportWorkerChildren(const FunctionAnalysis &A);
  void reportStdinDeadlock(const FunctionAnalysis &A);
  bool reportFromHelper(const FunctionAnalysis &A, const CallSite &Start,
                        const PathState &S, EndId E, bool Reader);
  /// The helper exits reported by reportHelperInheritance(), once each.
  llvm::DenseSet<unsigned> HelperExitsReported;
  /// Its answer for each helper call and end (1: the first of the pair).
  llvm::DenseMap<std::pair<const Expr *, unsigned>, bool> HelperCallAnswers;

  // A child's write end a start helper leaves open for its caller
  // (HelperChildEnds.cpp): reported in the helper, not at the caller's
  // exits (ReportedInHelper, for reportExitLeaks()).
  void reportHelperChildEnds(const FunctionAnalysis &A);
  llvm::DenseSet<EndId> ReportedInHelper;
  llvm::DenseSet<unsigned> HelperChildExitsReported;

  // A read to end-of-file that a write end held in this process keeps
  // from ending. When only a thread of this process holds it and never
  // closes it (TaskHeldEnds.cpp), reported at the read; when this thread
  // itself holds it, pipe-self-deadlock reports the read (unless disabled).
  // Either way the exits of the paths through the read are never reached
  // and do not report the end again.
  void reportBlockedReads(const FunctionAnalysis &A);
  bool blockedAtRead(EndId E, const PathState &S) const;
  struct BlockedRead {
    EndId Writer; ///< the open write end (or a dup() of it)
    EndId Read;   ///< the end read
    bool ByTask;  ///< held open by a thread of ours, not this thread
    bool operator==(const BlockedRead &O) const {
      return Writer == O.Writer && Read == O.Read && ByTask == O.ByTask;
    }
  };
  llvm::SmallVector<BlockedRead, 2> BlockedReads;
  /// Write ends reportStdinDeadlock() reported as keeping a child's input
  /// open while its output is read: the exits after that read leak the
  /// same end (one warning, at the read; the fix closes it before).
  llvm::SmallVector<EndId, 2> StdinKeptOpen;

  // A write end given to a thread whose routine closes it at its end but
  // returns earlier without closing it (RoutineOpenExits.cpp): reported at
  // each such return, once however many starts give it one.
  void reportRoutineOpenExits(const FunctionAnalysis &A);
  llvm::DenseSet<unsigned> RoutineExitsReported;

  // A pipe stored through a pointer or reference parameter, left open at
  // a failure return its callers drop the object on (FailureLeaks.cpp).
  void reportFailureLeaks(const FunctionAnalysis &A);
  llvm::DenseSet<unsigned> FailureExitsReported;

  /// Report write ends inherited by children started by exec*, system,
  /// popen and posix_spawn.
  const bool CheckSpawnInheritance;
  /// Paths of test programs, where a leak (not a hang) is not reported.
  /// Empty by default: a path says too little to silence a check unasked.
  std::string TestFileRegex;
  llvm::Regex TestFiles;
  bool inTestFile(const FunctionAnalysis &A);
  static constexpr const char *DefaultTestFileRegex = "";

  // Test code, where a leak (no reader can wait) is not reported unless
  // ReportLeaksInTests is set (TestCode.cpp, models/TestPrograms.h).
  void readTestOptions(llvm::StringRef Name);
  void storeTestOptions(ClangTidyOptions::OptionMap &Opts);
  /// Is the code \p A analyses a test program's?
  bool inTestCode(const FunctionAnalysis &A);
  /// Leaks are not reported in \p A: test code, ReportLeaksInTests off.
  bool quietLeaks(const FunctionAnalysis &A);
  /// The translation unit calls a test framework's entry or registration
  /// function (asked once per unit).
  bool testProgram(ASTContext &Ctx);
  /// \p FD is defined by a test macro, or only test code calls it.
  bool testFunction(const FunctionDecl *FD, const FunctionAnalysis &A,
                    unsigned Depth);
  bool ReportLeaksInTests = false;
  TestProgramModel Tests;
  std::map<std::string, std::string> TestOptionValues;
  bool TestProgramKnown = false, TestProgramTU = false;
  llvm::DenseMap<const FunctionDecl *, bool> TestFunctions;
  llvm::DenseSet<const FunctionDecl *> TestInProgress;
};

} // namespace clang::tidy::pipe

#endif
